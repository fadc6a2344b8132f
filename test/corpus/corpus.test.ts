import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../src/adapters/blob-store/memory-blob-store.js';
import { DocumentTextExtractor } from '../../src/adapters/text-extractor/document-text-extractor.js';
import { MemoryFileCatalog } from '../../src/adapters/file-catalog/memory-file-catalog.js';
import { RandomIdGenerator } from '../../src/adapters/system/random-id-generator.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { FileService } from '../../src/domain/file-service.js';
import { loadConfig } from '../../src/entrypoints/config.js';
import { toErrorReply } from '../../src/entrypoints/http/http-error.js';

/**
 * The conformance run (`npm run test:corpus`): real documents made by other tools, each uploaded
 * through FileService with the product's extractor and default limits, as `POST /files` would.
 * Each must give the text its manifest lists, or the HTTP status it lists.
 */
interface Entry {
  file: string;
  contains?: string[];
  pages?: number;
  status?: number[];
  why?: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The documents live beside the repository, not in it: their licences ask that they are not copied in.
const CORPUS = resolve(ROOT, process.env.CORPUS_DIR ?? '../shared/corpus');
const manifest = JSON.parse(readFileSync(resolve(CORPUS, 'manifest.json'), 'utf8')) as { files: Entry[] };

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
};

const squash = (text: string) => text.replace(/\s+/g, ' ');

function fileService(): FileService {
  const MiB = 1024 * 1024;
  return new FileService(
    {
      catalog: new MemoryFileCatalog(),
      blobs: new MemoryBlobStore(() => 'http://127.0.0.1:9/uploads'),
      extractor: new DocumentTextExtractor(loadConfig({}).extraction),
      clock: new SystemClock(),
      ids: new RandomIdGenerator(),
    },
    { maxInlineBytes: 50 * MiB, maxUploadBytes: 50 * MiB, maxExtractedChars: 10_000_000, uploadUrlTtlSeconds: 600 },
  );
}

/** What uploading the file gives: its text and pages, or the status the API would answer. */
async function upload(entry: Entry): Promise<{ text: string; pages?: number } | { status: number; code: string; message: string }> {
  const files = fileService();
  const fileName = entry.file.split('/').pop()!;
  const extension = fileName.split('.').pop()!;
  const bytes = new Uint8Array(readFileSync(resolve(CORPUS, entry.file)));
  try {
    const context = await files.upload('corpus', { fileName, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', bytes });
    const [document] = await files.loadDocuments('corpus', [context.fileId]);
    return { text: document!.text, ...(context.pages !== undefined && { pages: context.pages }) };
  } catch (error) {
    const reply = toErrorReply(error);
    if (!reply.expected) throw error;
    return { status: reply.status, code: reply.code, message: reply.message };
  }
}

describe(`conformance corpus (${CORPUS})`, () => {
  for (const entry of manifest.files) {
    it(`${entry.file}${entry.why ? ` (${entry.why})` : ''}`, async () => {
      const result = await upload(entry);
      if (entry.status) {
        if (!('status' in result)) throw new Error(`expected ${entry.status.join(' or ')}, got 201 with ${JSON.stringify(result.text.slice(0, 200))}`);
        expect(entry.status, `${result.status} ${result.code}: ${result.message}`).toContain(result.status);
        return;
      }
      if ('status' in result) throw new Error(`expected text, got ${result.status} ${result.code}: ${result.message}`);
      for (const expected of entry.contains ?? []) expect(squash(result.text)).toContain(squash(expected));
      if (entry.pages !== undefined) expect(result.pages).toBe(entry.pages);
    });
  }
});
