/**
 * One document extracted a few times through DocumentTextExtractor in a process of its own, so
 * that its peak resident memory (worker thread included) is this document's alone:
 * `node --import tsx bench/support/extraction-peak-memory.ts <path> <fileName> <contentType> <runs>`
 * prints `{"idleKb":…,"peakKb":…}`. Used by extraction.bench.ts.
 */
import { readFileSync } from 'node:fs';
import { DocumentTextExtractor } from '../../src/adapters/text-extractor/document-text-extractor.js';
import { loadConfig } from '../../src/entrypoints/config.js';

const [path, fileName, contentType, runs] = process.argv.slice(2);
if (!path || !fileName || contentType === undefined) throw new Error('usage: extraction-peak-memory.ts <path> <fileName> <contentType> [runs]');
const bytes = new Uint8Array(readFileSync(path));
const extractor = new DocumentTextExtractor(loadConfig({ MAX_CSV_ROWS: '1000000' }).extraction);
// Everything loaded and the bytes read: what the process holds before extracting anything.
const idleKb = process.resourceUsage().maxRSS;
for (let run = 0; run < Number(runs ?? 3); run++) await extractor.extract({ bytes, fileName, contentType });
process.stdout.write(JSON.stringify({ idleKb, peakKb: process.resourceUsage().maxRSS }));
