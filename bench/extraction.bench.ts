import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import { DocumentTextExtractor } from '../src/adapters/text-extractor/document-text-extractor.js';
import { installDomMatrixStandIn } from '../src/adapters/text-extractor/readers/dom-matrix-stand-in.mjs';
import { loadConfig } from '../src/entrypoints/config.js';
import { makeDocx, makePdf } from '../test/text-extractor/documents.js';
import type { BenchResult } from './support/report.js';

const RUNS = 5;
const PDF_PAGES = 100;

async function medianMs(work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up: module loading and JIT are not what is measured
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const began = performance.now();
    await work();
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const run = promisify(execFile);
const PEAK_MEMORY_SCRIPT = new URL('./support/extraction-peak-memory.ts', import.meta.url).pathname;

/**
 * Peak resident memory of a fresh process extracting the document RUNS times, and how much of it
 * the extraction added to the process as it stood before (modules loaded, bytes read). A process
 * of its own per format: a peak is only ever the highest so far.
 */
async function peakMemoryMb(bytes: Uint8Array, fileName: string, contentType: string): Promise<{ peak: number; added: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'extraction-memory-'));
  try {
    const path = join(dir, fileName);
    writeFileSync(path, bytes);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', PEAK_MEMORY_SCRIPT, path, fileName, contentType, String(RUNS)]);
    const { idleKb, peakKb } = JSON.parse(stdout) as { idleKb: number; peakKb: number };
    return { peak: peakKb / 1024, added: (peakKb - idleKb) / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (n: number) => `Line ${n}: the quarterly figures for the region grew by ${n % 17} percent, as the table shows.`;

/**
 * Extraction through our adapter (type detection, limits, the worker thread with its time limit,
 * text clean-up) against the bare library call on the same bytes: pdf-parse for PDF (pages per
 * second), mammoth for DOCX and csv-parse for CSV (MB per second). Overhead ratio near 1 is the goal.
 */
export async function extractionBench(): Promise<BenchResult> {
  // The bare pdf.js runs in this thread, which needs the same DOMMatrix stand-in as our worker.
  installDomMatrixStandIn();
  const extractor = new DocumentTextExtractor(loadConfig({ MAX_CSV_ROWS: '1000000' }).extraction);
  const pdf = await makePdf(Array.from({ length: PDF_PAGES }, (_, page) => Array.from({ length: 30 }, (_, n) => line(page * 30 + n)).join('\n')));
  const docx = await makeDocx({ heading: 'Report', paragraphs: Array.from({ length: 4000 }, (_, n) => line(n)) });
  const csv = new TextEncoder().encode(['region,quarter,amount,note', ...Array.from({ length: 60_000 }, (_, n) => `north-${n % 9},Q${(n % 4) + 1},${n * 7},"${line(n)}"`)].join('\n'));

  const cases = [
    {
      format: 'PDF',
      bytes: pdf,
      fileName: 'bench.pdf',
      contentType: 'application/pdf',
      unit: 'pages/s',
      amount: PDF_PAGES,
      ours: () => extractor.extract({ bytes: pdf, fileName: 'bench.pdf', contentType: 'application/pdf' }),
      bare: async () => {
        const parser = new PDFParse({ data: new Uint8Array(pdf) });
        try {
          return await parser.getText();
        } finally {
          await parser.destroy();
        }
      },
    },
    {
      format: 'DOCX',
      bytes: docx,
      fileName: 'bench.docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      unit: 'MB/s',
      amount: docx.length / 1e6,
      ours: () => extractor.extract({ bytes: docx, fileName: 'bench.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
      bare: () => mammoth.extractRawText({ buffer: Buffer.from(docx) }),
    },
    {
      format: 'CSV',
      bytes: csv,
      fileName: 'bench.csv',
      contentType: 'text/csv',
      unit: 'MB/s',
      amount: csv.length / 1e6,
      ours: () => extractor.extract({ bytes: csv, fileName: 'bench.csv', contentType: 'text/csv' }),
      bare: async () => parse(Buffer.from(csv)) as unknown,
    },
  ];
  const rows = [];
  for (const item of cases) {
    const ours = await medianMs(item.ours);
    const bare = await medianMs(item.bare);
    const memory = await peakMemoryMb(item.bytes, item.fileName, item.contentType);
    rows.push({
      format: item.format,
      'input (MB)': item.bytes.length / 1e6,
      'bare library (ms)': bare,
      'ours (ms)': ours,
      [`bare ${item.unit}`]: item.amount / (bare / 1000),
      [`ours ${item.unit}`]: item.amount / (ours / 1000),
      'overhead ratio': ours / bare,
      'peak RSS (MB)': memory.peak,
      'added by extraction (MB)': memory.added,
    });
  }
  return {
    name: 'extraction throughput',
    description: `median of ${RUNS} runs after one warm-up; ours = DocumentTextExtractor (type detection, limits, a worker thread per PDF/DOCX, text clean-up), bare = the library called directly in-process; memory = peak RSS of a fresh process extracting the document ${RUNS} times, and what that added to the process before it began`,
    rows: rows.map((row) => {
      // One column per unit keeps the table readable: pages/s for PDF, MB/s for the others.
      const unit = row.format === 'PDF' ? 'pages/s' : 'MB/s';
      return {
        format: row.format,
        'input (MB)': row['input (MB)'],
        'bare (ms)': row['bare library (ms)'],
        'ours (ms)': row['ours (ms)'],
        throughput: `${(row[`ours ${unit}`] as number).toPrecision(3)} ${unit} (bare ${(row[`bare ${unit}`] as number).toPrecision(3)})`,
        'overhead ratio': row['overhead ratio'],
        'peak RSS (MB)': row['peak RSS (MB)'],
        'added by extraction (MB)': row['added by extraction (MB)'],
      };
    }),
  };
}
