/**
 * Bytes of a text file to a string, and whether bytes are text at all. Shared by the plain-text and
 * CSV extractors and by file type detection, so that all three agree on what "text" means.
 */

/** Enough to judge a file: binary formats show themselves in their first kilobytes. */
const SNIFF_BYTES = 8192;

/**
 * Control bytes that never occur in text. Tab, line feed, form feed, carriage return and escape
 * (ANSI colours in log files) are allowed.
 */
const isBinaryControl = (byte: number): boolean =>
  byte <= 0x08 || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f);

/** Above this share of damaged bytes, a UTF-8 file is beyond reading. */
const MAX_INVALID_RATIO = 0.1;

/** Bytes that Windows-1252 leaves undefined (C1 controls in Latin-1): no legacy text file holds them. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const UTF16_BOM = { le: [0xff, 0xfe], be: [0xfe, 0xff] } as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (startsWith(bytes, UTF16_BOM.le)) return 'utf-16le';
  if (startsWith(bytes, UTF16_BOM.be)) return 'utf-16be';
  return undefined;
}

/** Whether bytes are something other than text, whatever the file's name says. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  // UTF-16 (Windows Notepad's "Unicode") is full of NUL bytes: judge its characters instead.
  const utf16 = utf16Encoding(sample);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(sample);
    return [...text.slice(0, 4096)].some((char) => isBinaryControl(char.charCodeAt(0)));
  }
  if (sample.some(isBinaryControl)) return true;
  const { multiByte, invalid } = scanUtf8(sample);
  if (invalid === 0) return false;
  // Some UTF-8 and many bad bytes: damaged beyond reading. No UTF-8 at all: a legacy 8-bit text
  // (see decodeText), unless it holds bytes no such text holds. A short French line in
  // Windows-1252 is a third accented letters, so a plain ratio would refuse it.
  if (multiByte > 0) return invalid / sample.length > MAX_INVALID_RATIO;
  return sample.some((byte) => UNDEFINED_IN_1252.has(byte));
}

/**
 * The text of a file: UTF-8 unless a byte order mark says UTF-16 (the BOM is dropped). A file that
 * is not valid UTF-8 and holds no UTF-8 sequence at all was written in a legacy 8-bit encoding
 * (Excel's CSV export on Windows, old French text files): it is read as Windows-1252, so "é"
 * stays "é". A UTF-8 file with a few damaged bytes keeps its text, with U+FFFD for each of them.
 */
export function decodeText(bytes: Uint8Array): string {
  const utf16 = utf16Encoding(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const { multiByte } = scanUtf8(bytes);
    return multiByte > 0 ? new TextDecoder('utf-8').decode(bytes) : decodeWindows1252(bytes);
  }
}

/** What Windows-1252 puts at 0x80-0x9F, where Latin-1 has control codes (undefined ones kept as is). */
const WINDOWS_1252_80_9F = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's TextDecoder('windows-1252') decodes as Latin-1 (nodejs/node#56542), turning € and œ into
 * control codes: Latin-1, then the 32 characters where the two differ.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_80_9F[char.charCodeAt(0) - 0x80]!);
}

/**
 * Counts multi-byte sequences shaped like UTF-8 and bytes that are not part of one. A sequence cut
 * off by the end of the bytes (a sample's edge) is not counted as invalid.
 */
export function scanUtf8(bytes: Uint8Array): { multiByte: number; invalid: number } {
  let multiByte = 0;
  let invalid = 0;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) {
      invalid += 1;
      index += 1;
      continue;
    }
    if (index + length > bytes.length) break;
    let continuation = 1;
    while (continuation < length && (bytes[index + continuation]! & 0xc0) === 0x80) continuation += 1;
    if (continuation === length) {
      multiByte += 1;
      index += length;
    } else {
      invalid += 1;
      index += 1;
    }
  }
  return { multiByte, invalid };
}
