import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { textFileType } from './text-file-types.js';

/** Control characters that never occur in text files (tab, newlines and form feed are allowed). */
// eslint-disable-next-line no-control-regex
const BINARY_CONTROL = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;
const SNIFF_BYTES = 8192;

/**
 * Text, Markdown, JSON, CSV and source code: UTF-8 (a BOM is dropped, invalid bytes become U+FFFD).
 * A file whose bytes are binary is refused whatever its name says. JSON must parse and is
 * pretty-printed, which models read more reliably than minified JSON.
 */
export class PlainTextExtractor implements TextExtractor {
  accepts(fileName: string, contentType: string): boolean {
    return textFileType(fileName, contentType) !== undefined;
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    const fileType = textFileType(input.fileName, input.contentType);
    if (!fileType) {
      throw new DomainError('unsupported', 'UNSUPPORTED_FILE_TYPE', `"${input.fileName}" is not a supported file type.`);
    }
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(input.bytes);
    if (looksBinary(text)) {
      throw new DomainError('unsupported', 'NOT_TEXT', `"${input.fileName}" is not a text file, whatever its name says.`);
    }
    if (fileType !== 'json') return { text, fileType };
    try {
      return { text: JSON.stringify(JSON.parse(text), null, 2), fileType };
    } catch {
      throw new DomainError('unreadable', 'INVALID_JSON_FILE', `"${input.fileName}" is not valid JSON.`);
    }
  }
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, SNIFF_BYTES);
  if (BINARY_CONTROL.test(sample)) return true;
  const replaced = sample.split('\uFFFD').length - 1;
  return sample.length > 0 && replaced / sample.length > 0.1;
}
