import type { Entry } from 'yauzl';
import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { checkDeclaredSizes, DEFAULT_ARCHIVE_LIMITS, findSizeLiar, type ArchiveLimits } from './archive-limits.js';
import { declaredFileType, SUPPORTED_TYPES_HINT } from './detect-file-type.js';
import type { DocumentReaders } from './document-readers.js';
import { htmlToText } from './html-to-text.js';
import { readZipDirectory, ZipFormatError, ZipTooManyEntriesError, type ZipDirectory } from './zip-directory.js';

export interface DocxOptions {
  archive?: Partial<ArchiveLimits>;
  /** Where mammoth runs: worker threads (DocumentTextExtractor) or in process (the readers' tests: test/support/in-process-readers.ts). */
  readers: DocumentReaders;
}

/** The parts mammoth parses: the XML ones. Media are never decompressed (read-docx.mjs). */
const isXmlPart = (entry: Entry) => /\.(xml|rels)$/i.test(entry.fileName);

const unreadable = (fileName: string, cause?: unknown) =>
  new DomainError(
    'unreadable',
    'DOCX_UNREADABLE',
    `"${fileName}" could not be read as a Word document: it is damaged or incomplete. Open it in Word, save it again, and upload that.`,
    { cause },
  );

/**
 * Word (.docx): the zip's directory is read first (zip-directory.ts), without inflating anything,
 * to check that it holds a Word document and that it cannot expand past the limits (a zip bomb);
 * then mammoth turns it into HTML and html-to-text.ts into text with its headings, lists and tables.
 */
export class DocxTextExtractor implements TextExtractor {
  private readonly limits: ArchiveLimits;
  private readonly readers: DocumentReaders;

  constructor(options: DocxOptions) {
    this.limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.archive };
    this.readers = options.readers;
  }

  accepts(fileName: string, contentType: string): boolean {
    return declaredFileType(fileName, contentType) === 'docx';
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    const { bytes, fileName } = input;
    const directory = await this.directory(bytes, fileName);
    const { entries } = directory;
    if (!entries.some((entry) => entry.fileName === 'word/document.xml')) {
      throw new DomainError(
        'unsupported',
        'NOT_A_WORD_DOCUMENT',
        `"${fileName}" is a zip archive but not a Word document (an Excel or PowerPoint file renamed, perhaps). ${SUPPORTED_TYPES_HINT}`,
      );
    }
    checkDeclaredSizes(fileName, entries, this.limits);
    let liar: Entry | undefined;
    try {
      liar = await findSizeLiar(directory, entries.filter(isXmlPart));
    } catch (error) {
      throw unreadable(fileName, error);
    }
    if (liar) {
      throw new DomainError('too_large', 'ARCHIVE_TOO_LARGE', `"${fileName}" expands to more than it declares ("${liar.fileName}"), so it was not opened.`);
    }
    const result = await this.readers.readDocx(bytes);
    if (result.outcome === 'failed') throw unreadable(fileName, new Error(result.message));
    return { text: await htmlToText(result.html), fileType: 'docx' };
  }

  private async directory(bytes: Uint8Array, fileName: string): Promise<ZipDirectory> {
    try {
      return await readZipDirectory(bytes, { maxEntries: this.limits.maxEntries });
    } catch (error) {
      if (error instanceof ZipTooManyEntriesError) {
        throw new DomainError(
          'too_large',
          'ARCHIVE_TOO_LARGE',
          `"${fileName}" holds ${error.entries.toLocaleString('en')} files; a Word document holds a few dozen, and the limit is ${this.limits.maxEntries.toLocaleString('en')}.`,
        );
      }
      if (error instanceof ZipFormatError) throw unreadable(fileName, error);
      throw error;
    }
  }
}
