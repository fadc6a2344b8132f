/**
 * A zip's central directory, read without inflating anything: the names and the sizes each entry
 * declares. Enough to tell a Word document from another zip and to refuse a zip bomb before a
 * single byte is decompressed. ZIP64 is understood, since a bomb would use it to declare
 * terabytes. Encryption, multi-disk archives and data before the first entry are not supported.
 */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

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

const SIG = { entry: 0x02014b50, end: 0x06054b50, end64: 0x06064b50, locator64: 0x07064b50, local: 0x04034b50 } as const;
const END_SIZE = 22;
const MAX_COMMENT = 0xffff;
const UNSET16 = 0xffff;
const UNSET32 = 0xffffffff;

export function readZipDirectory(bytes: Uint8Array, options: { maxEntries: number }): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if (count === UNSET16 || size === UNSET32 || offset === UNSET32) {
    ({ count, size, offset } = readEnd64(view, end));
  }
  if (count > options.maxEntries) throw new ZipTooManyEntriesError(count);
  if (offset + size > end) throw new ZipFormatError('The zip directory lies outside the file.');

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    need(view, at, 46);
    if (view.getUint32(at, true) !== SIG.entry) throw new ZipFormatError('A zip directory entry is damaged.');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    need(view, at + 46, nameLength + extraLength);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Where an entry's compressed bytes are: after its local header, whose name and extra may differ. */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  need(view, entry.localHeaderOffset, 30);
  if (view.getUint32(entry.localHeaderOffset, true) !== SIG.local) throw new ZipFormatError(`The entry "${entry.name}" is damaged.`);
  const start = entry.localHeaderOffset + 30 + view.getUint16(entry.localHeaderOffset + 26, true) + view.getUint16(entry.localHeaderOffset + 28, true);
  need(view, start, entry.compressedSize);
  return bytes.subarray(start, start + entry.compressedSize);
}

/** The end-of-directory record sits in the last 22 bytes, or before a comment of up to 64 KB. */
function findEnd(view: DataView): number {
  const last = view.byteLength - END_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === SIG.end) return at;
  }
  throw new ZipFormatError('The zip has no directory: it is damaged or cut short.');
}

function readEnd64(view: DataView, end: number): { count: number; size: number; offset: number } {
  const locator = end - 20;
  if (locator < 0 || view.getUint32(locator, true) !== SIG.locator64) throw new ZipFormatError('The ZIP64 directory is missing.');
  const record = u64(view, locator + 8);
  need(view, record, 56);
  if (view.getUint32(record, true) !== SIG.end64) throw new ZipFormatError('The ZIP64 directory is damaged.');
  return { count: u64(view, record + 32), size: u64(view, record + 40), offset: u64(view, record + 48) };
}

/** ZIP64 extra field (id 1): 64-bit values for those the entry set to 0xFFFFFFFF, in this order. */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  let at = start;
  while (at + 4 <= start + length) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        need(view, field, 8);
        const value = u64(view, field);
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === UNSET32) entry.uncompressedSize = next();
      if (entry.compressedSize === UNSET32) entry.compressedSize = next();
      if (entry.localHeaderOffset === UNSET32) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
}

/** A 64-bit size as a number: exact up to 8 PB, and still far over any limit beyond. */
const u64 = (view: DataView, at: number): number => Number(view.getBigUint64(at, true));

function need(view: DataView, at: number, length: number): void {
  if (at < 0 || at + length > view.byteLength) throw new ZipFormatError('The zip is cut short.');
}
