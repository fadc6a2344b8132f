import type { Entry } from 'yauzl';
import { DomainError } from '../../domain/errors.js';
import { formatBytes } from '../../domain/file-service.js';
import type { ZipDirectory, ZipEntry } from './zip-directory.js';

export interface ArchiveLimits {
  /** What all entries may add up to once decompressed. */
  maxExpandedBytes: number;
  maxEntries: number;
  /** An entry larger than `ratioCheckedAboveBytes` may not decompress to more than this many times its size. */
  maxRatio: number;
  ratioCheckedAboveBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxExpandedBytes: 100 * 1024 * 1024,
  // A Word document has a few dozen parts; ten thousand is a zip of something else, or an attack.
  maxEntries: 10_000,
  // Text XML compresses up to ~100:1; a 1,000:1 entry is a run of zeros made to exhaust memory.
  maxRatio: 200,
  ratioCheckedAboveBytes: 10 * 1024 * 1024,
};

const tooLarge = (fileName: string, detail: string) =>
  new DomainError('too_large', 'ARCHIVE_TOO_LARGE', `"${fileName}" ${detail}, so it was not opened.`);

/**
 * Refuses a zip bomb from the sizes its directory declares, before anything is decompressed: the
 * total, each entry's compression ratio. yauzl reads the sizes and leaves such judgements to its
 * callers.
 */
export function checkDeclaredSizes(fileName: string, entries: ZipEntry[], limits: ArchiveLimits): void {
  const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (total > limits.maxExpandedBytes) {
    throw tooLarge(fileName, `would expand to ${formatBytes(total)} when opened; the limit is ${formatBytes(limits.maxExpandedBytes)}`);
  }
  const bomb = entries.find(
    (entry) => entry.uncompressedSize > limits.ratioCheckedAboveBytes && entry.uncompressedSize > entry.compressedSize * limits.maxRatio,
  );
  if (bomb) throw tooLarge(fileName, `holds a part compressed more than ${limits.maxRatio} to 1 ("${bomb.fileName}")`);
}

/**
 * The declared sizes are only as good as the zip is honest. Each entry the reader will parse is
 * decompressed once here, kept nowhere and stopped at its declared size (already within the
 * limits), so a zip that lies is caught before the reader inflates it without such a stop. zlib
 * runs on libuv's thread pool: the event loop stays free meanwhile.
 */
export async function findSizeLiar(directory: ZipDirectory, entries: Entry[]): Promise<Entry | undefined> {
  for (const entry of entries) {
    if (await directory.expandsPastDeclaredSize(entry)) return entry;
  }
  return undefined;
}
