import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { formatCsv, sniffDelimiter } from './csv-format.js';
import { notText } from './detect-file-type.js';
import { decodeText, looksBinary } from './text-decoding.js';
import { textFileType } from './text-file-types.js';

export interface CsvLimits {
  /** Data rows, the header not counted. */
  maxRows: number;
}

/**
 * One field may be long (a JSON document, a paragraph), but not endless: csv-parse stops there,
 * which is also where a quote left open would otherwise swallow the rest of the file.
 */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * CSV (and TSV) read as a table: quoted fields with commas, quotes and line breaks, a BOM, `;` or
 * tab delimiters, rows of uneven length. The first record is taken as the header. The text is
 * csv-format.ts's layout; `rows` counts the data rows.
 */
export class CsvTextExtractor implements TextExtractor {
  constructor(private readonly limits: CsvLimits) {}

  accepts(fileName: string, contentType: string): boolean {
    return textFileType(fileName, contentType) === 'csv';
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    if (looksBinary(input.bytes)) throw notText(input.fileName);
    const text = decodeText(input.bytes);
    const records = this.parse(text, input.fileName);
    if (records.length === 0) {
      throw new DomainError('unreadable', 'NO_TEXT', `"${input.fileName}" has no rows.`);
    }
    return { text: formatCsv(records), fileType: 'csv', rows: records.length - 1 };
  }

  private parse(text: string, fileName: string): string[][] {
    const maxRecords = this.limits.maxRows + 1;
    let kept = 0;
    try {
      return parse(text, {
        delimiter: sniffDelimiter(text),
        // Spreadsheet exports leave a lone quote inside an unquoted field (36'37.8"N): keep it.
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
        max_record_size: MAX_RECORD_CHARS,
        on_record: (record: string[]) => {
          // Blank records (",,," rows a spreadsheet leaves at the end, a stray "\r") say nothing.
          if (!record.some((cell) => cell.trim() !== '')) return null;
          // One record past the limit is enough to refuse: the rest is never parsed.
          if (++kept > maxRecords) throw new TooManyRows();
          return record;
        },
      });
    } catch (error) {
      if (error instanceof TooManyRows) {
        throw new DomainError(
          'too_large',
          'CSV_TOO_MANY_ROWS',
          `"${fileName}" has more than ${this.limits.maxRows.toLocaleString('en')} rows, the limit. Split it, or keep the rows you need.`,
        );
      }
      if (!(error instanceof CsvError)) throw error;
      throw new DomainError('unreadable', 'CSV_UNREADABLE', `"${fileName}" could not be read as CSV: ${describe(error)}`, { cause: error });
    }
  }
}

class TooManyRows extends Error {}

/** csv-parse's messages name the problem and the line; a person needs the hint that goes with it. */
function describe(error: CsvError): string {
  const line = typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field is never closed${line}. Check for a missing ".`;
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters${line}; a quote may have been left open.`;
    default:
      return `${error.message.replace(/\.$/, '')}.`;
  }
}
