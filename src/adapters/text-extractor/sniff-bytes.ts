import { fileTypeFromBuffer, type FileTypeResult } from 'file-type';

/** What the bytes are, as far as what we do with them goes. */
export type SniffedKind = 'executable' | 'pdf' | 'word' | 'zip' | 'legacy-office' | 'other';

export interface Sniffed {
  kind: SniffedKind;
  /** What the bytes are, in a person's words, for a refusal message. */
  what: string;
  /** A PDF whose `%PDF-` header comes after some junk, not at the very start. */
  pdfAfterJunk?: boolean;
}

/**
 * The types we name or act on, by file-type's extension. Marked pure so that a bundle importing
 * only declaredFileType (detect-file-type.ts) leaves it out, with the library: file-type is
 * imported statically, so that such a bundle does not even carry it as a chunk it never loads.
 */
const KNOWN: ReadonlyMap<string, Sniffed> = /* @__PURE__ */ new Map<string, Sniffed>([
  ['exe', { kind: 'executable', what: 'a Windows program' }],
  ['elf', { kind: 'executable', what: 'a Linux program' }],
  ['macho', { kind: 'executable', what: 'a macOS program' }],
  ['pdf', { kind: 'pdf', what: 'a PDF document' }],
  // Illustrator saves a PDF with its own data inside: readers take it as a PDF.
  ['ai', { kind: 'pdf', what: 'a PDF document' }],
  ['docx', { kind: 'word', what: 'a Word document' }],
  ['docm', { kind: 'word', what: 'a Word document' }],
  ['dotx', { kind: 'word', what: 'a Word template' }],
  ['dotm', { kind: 'word', what: 'a Word template' }],
  ['zip', { kind: 'zip', what: 'a zip archive' }],
  ['cfb', { kind: 'legacy-office', what: 'an older Office file (.doc, .xls or .ppt)' }],
  ['xlsx', { kind: 'other', what: 'an Excel workbook' }],
  ['xlsm', { kind: 'other', what: 'an Excel workbook' }],
  ['pptx', { kind: 'other', what: 'a PowerPoint presentation' }],
  ['pptm', { kind: 'other', what: 'a PowerPoint presentation' }],
  ['ppsx', { kind: 'other', what: 'a PowerPoint presentation' }],
  ['odt', { kind: 'other', what: 'an OpenDocument text' }],
  ['ods', { kind: 'other', what: 'an OpenDocument spreadsheet' }],
  ['odp', { kind: 'other', what: 'an OpenDocument presentation' }],
  ['epub', { kind: 'other', what: 'an EPUB book' }],
  ['jpg', { kind: 'other', what: 'a JPEG image' }],
  ['png', { kind: 'other', what: 'a PNG image' }],
  ['apng', { kind: 'other', what: 'a PNG image' }],
  ['gif', { kind: 'other', what: 'a GIF image' }],
  ['webp', { kind: 'other', what: 'a WebP image' }],
  ['tif', { kind: 'other', what: 'a TIFF image' }],
  ['heic', { kind: 'other', what: 'a HEIC image' }],
  ['avif', { kind: 'other', what: 'an AVIF image' }],
]);

/** Where the `%PDF-` header may sit: readers accept junk before it within the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;

/**
 * What the first bytes say a file is, whatever its name says, from the file-type library (it
 * knows PDF, the Office zips, and images by the dozen); undefined for anything it does not know,
 * text among them. Where it falls short, the two checks below say so. Its answer for bytes that
 * could be text (`BM` is a bitmap to it, `ID3` an MP3, a `G` at 0 and 188 a video; the test "reads
 * text that begins the way a binary format does") is only a name: whether a file is text is
 * decided from its bytes (text-decoding.ts), never from this.
 */
export async function sniffBytes(bytes: Uint8Array): Promise<Sniffed | undefined> {
  const found = await detect(bytes);
  if (found?.ext === 'exe' && !looksLikeDosHeader(bytes)) return undefined;
  if (found) return KNOWN.get(found.ext) ?? describe(found);
  const offset = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW)).indexOf('%PDF-', 0, 'latin1');
  // file-type looks for the header at the very start only (detect-file-type.test.ts, "accepts a PDF
  // header after some junk"), where PDF readers take it anywhere in the first kilobyte.
  return offset > 0 ? { kind: 'pdf', what: 'a PDF document', pdfAfterJunk: true } : undefined;
}

/** A damaged file can make the library throw where it cannot tell: that is "not known", not our error. */
async function detect(bytes: Uint8Array): Promise<FileTypeResult | undefined> {
  try {
    return await fileTypeFromBuffer(bytes);
  } catch {
    return undefined;
  }
}

/**
 * file-type calls anything that starts with "MZ" a Windows program, and "MZ Corp, annual report"
 * is a sentence (detect-file-type.test.ts, "lets a text file begin with MZ"): a DOS/PE header is
 * followed by NUL bytes, which text never holds.
 */
const looksLikeDosHeader = (bytes: Uint8Array): boolean => bytes.length <= 2 || bytes.subarray(2, 64).includes(0);

function describe({ ext, mime }: FileTypeResult): Sniffed {
  const [category] = mime.split('/');
  if (category === 'image') return { kind: 'other', what: `an image (.${ext})` };
  if (category === 'audio') return { kind: 'other', what: `an audio file (.${ext})` };
  if (category === 'video') return { kind: 'other', what: `a video (.${ext})` };
  return { kind: 'other', what: `a .${ext} file` };
}
