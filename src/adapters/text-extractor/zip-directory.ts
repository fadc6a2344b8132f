import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';

/**
 * A zip's central directory, read by yauzl without inflating anything: the names and the sizes
 * each entry declares (ZIP64 included, which a bomb would use to declare terabytes). Enough to tell
 * a Word document from another zip and to refuse a zip bomb before a single byte is decompressed.
 */
export type ZipEntry = Pick<Entry, 'fileName' | 'compressedSize' | 'uncompressedSize'>;

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/** More entries than the caller allows: refused before they are read. */
export class ZipTooManyEntriesError extends Error {
  override readonly name = 'ZipTooManyEntriesError';

  constructor(readonly entries: number) {
    super(`The zip has ${entries} entries.`);
  }
}

export interface ZipDirectory {
  entries: Entry[];
  /**
   * Whether the entry decompresses to more than it declares. A deflate stream decides its own
   * length, so the declared size is only as good as the zip is honest: this inflates the entry
   * with a hard cap at its declared size, and stops there.
   */
  expandsPastDeclaredSize(entry: Entry): Promise<boolean>;
}

/** Loaded with the first Word document, not with this module: only a DOCX is a zip to us. */
export async function readZipDirectory(bytes: Uint8Array, options: { maxEntries: number }): Promise<ZipDirectory> {
  const { default: yauzl } = await import('yauzl');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Sizes are checked by archive-limits.ts and expandsPastDeclaredSize, which tell a lie from damage;
  // yauzl's own check would call a stored entry whose sizes differ damaged.
  const zip = await asZipError(() => yauzl.fromBufferPromise(buffer, { validateEntrySizes: false }));
  if (zip.entryCount > options.maxEntries) throw new ZipTooManyEntriesError(zip.entryCount);
  const entries = await asZipError(async () => {
    const read: Entry[] = [];
    for await (const entry of zip.eachEntry()) read.push(entry);
    return read;
  });
  return { entries, expandsPastDeclaredSize: (entry) => expandsPastDeclaredSize(zip, buffer, entry) };
}

const inflate = promisify(inflateRaw);

/**
 * yauzl finds where the entry's data starts (its local header may differ from the directory); the
 * data is then inflated in one call, capped at the declared size. yauzl's own check streams the
 * entry, which was slower on the extraction bench, and fails with an error that does not say which
 * way the size was wrong. zlib runs on libuv's thread pool: the event loop stays free meanwhile.
 */
async function expandsPastDeclaredSize(zip: ZipFile, buffer: Buffer, entry: Entry): Promise<boolean> {
  if (entry.isEncrypted()) return false; // the reader cannot read it either, and says so
  const { fileDataStart } = await asZipError(() => zip.readLocalFileHeaderPromise(entry, { minimal: true }));
  const data = buffer.subarray(fileDataStart, fileDataStart + entry.compressedSize);
  if (data.length < entry.compressedSize) throw new ZipFormatError(`The entry "${entry.fileName}" is cut short.`);
  if (entry.compressionMethod === 0) return data.length > entry.uncompressedSize;
  if (entry.compressionMethod !== 8) return false; // a method mammoth does not read: it reports the damage
  try {
    await inflate(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    return false;
  } catch (error) {
    // Over the cap: a lie. Any other zlib error is damage, left to the reader, which reports it as such.
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/** yauzl reports a damaged zip with a plain Error: one type for "this is not a readable zip". */
async function asZipError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ZipFormatError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
