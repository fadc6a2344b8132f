import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { notText, unsupportedFileType } from './detect-file-type.js';
import { decodeText, looksBinary } from './text-decoding.js';
import { textFileType } from './text-file-types.js';

/**
 * Text, Markdown, JSON, CSV (as it is) and source code. Decoding is text-decoding.ts's: UTF-8 or
 * UTF-16 by BOM (dropped), Windows-1252 for legacy files. A file whose bytes are binary is refused
 * whatever its name says. JSON must parse and is pretty-printed, which models read more reliably
 * than minified JSON.
 */
export class PlainTextExtractor implements TextExtractor {
  accepts(fileName: string, contentType: string): boolean {
    return textFileType(fileName, contentType) !== undefined;
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    const fileType = textFileType(input.fileName, input.contentType);
    if (!fileType) throw unsupportedFileType(input.fileName);
    if (looksBinary(input.bytes)) throw notText(input.fileName);
    const text = decodeText(input.bytes);
    if (fileType !== 'json') return { text, fileType };
    return { text: prettyJson(text, input.fileName), fileType };
  }
}

/**
 * Valid JSON, indented. JSON nested deeper than the engine's stack (100,000 `[`) parses in V8 but
 * cannot be printed again: it is valid, so it is kept as it came rather than refused.
 */
function prettyJson(text: string, fileName: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) return text;
    const reason = error instanceof Error ? ` (${error.message})` : '';
    throw new DomainError('unreadable', 'INVALID_JSON_FILE', `"${fileName}" is not valid JSON${reason}. Fix it, or upload it as .txt.`);
  }
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return text;
  }
}
