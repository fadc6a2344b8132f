import { EXTENSIONS_BY_FILE_TYPE } from '../../contract/file-types.js';
import type { FileType } from '../../domain/file-context.js';

/**
 * Extensions read as text, by the kind of text they hold: the API's own list, which config.json
 * also gives the SPA's file picker. A Map, not an object: the extension comes from the uploader,
 * and `x.constructor` or `__proto__` must not find an inherited member.
 */
const BY_EXTENSION: ReadonlyMap<string, FileType> = new Map(
  (['text', 'markdown', 'json', 'csv'] as const).flatMap((type) => EXTENSIONS_BY_FILE_TYPE[type].map((extension) => [extension, type] as const)),
);

const CODE_EXTENSIONS: ReadonlySet<string> = new Set(EXTENSIONS_BY_FILE_TYPE.code);

const TEXT_CONTENT_TYPES = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|typescript|x-sh|sql|toml)\b)/;

export function extensionOf(fileName: string): string {
  const lower = fileName.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? lower : lower.slice(dot + 1);
}

/** The kind of text a file holds, by its name first and its declared type second. */
export function textFileType(fileName: string, contentType: string): FileType | undefined {
  const extension = extensionOf(fileName);
  const known = BY_EXTENSION.get(extension);
  if (known) return known;
  if (CODE_EXTENSIONS.has(extension)) return 'code';
  const type = contentType.toLowerCase();
  if (TEXT_CONTENT_TYPES.test(type)) {
    if (type.startsWith('application/json')) return 'json';
    return /^text\/(csv|tab-separated-values)\b/.test(type) ? 'csv' : 'text';
  }
  return undefined;
}
