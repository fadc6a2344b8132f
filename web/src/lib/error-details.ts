import { formatBytes } from './format';

/**
 * The numbers a server error names (a size limit, a count of pages), read from its English message
 * for `errors.codeDetails.<CODE>` and written the user's way. The server sends them in no field of
 * their own, so each code's sentence is matched; when it does not match (a reworded message), the
 * code's general sentence (`errors.codes.<CODE>`) is shown instead, never a wrong number.
 */
type Reader = (message: string, locale: string) => Record<string, string> | undefined;

/** A message matched by `pattern`, its named groups turned into the values the translation needs. */
function reading(pattern: RegExp, values: (groups: Record<string, string>, locale: string) => Record<string, string> = () => ({})): Reader {
  return (message, locale) => {
    const match = pattern.exec(message);
    return match ? values(match.groups ?? {}, locale) : undefined;
  };
}

/** "1,000" (the server writes numbers the English way) as the user writes them. */
const count = (text: string | undefined, locale: string): string => new Intl.NumberFormat(locale).format(Number((text ?? '').replace(/,/g, '')));

const UNITS = ['B', 'KB', 'MB', 'GB'];
/** "4.0 MB" (the server's formatBytes) as the SPA writes sizes. */
const size = (text: string | undefined, locale: string): string => {
  const [value = '', unit = 'B'] = (text ?? '').split(' ');
  return formatBytes(Number(value.replace(/,/g, '')) * 1024 ** Math.max(0, UNITS.indexOf(unit)), locale);
};

/** "1000000" as whole dollars: "$1,000,000" (no cents on a round limit). */
const dollars = (text: string | undefined, locale: string): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(Number((text ?? '').replace(/,/g, '')));

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const SIZE = String.raw`\d[\d,]*(?:\.\d+)? (?:B|KB|MB|GB)`;

const READERS: Record<string, Reader> = {
  MESSAGE_TOO_LONG: reading(new RegExp(`is (?<length>${NUMBER}) characters; the limit is (?<max>${NUMBER})`), (g, l) => ({ length: count(g.length, l), max: count(g.max, l) })),
  TOO_MANY_FILES: reading(new RegExp(`at most (?<max>${NUMBER}) files`), (g, l) => ({ max: count(g.max, l) })),
  FILE_TOO_LARGE: reading(new RegExp(`(?:the limit is|larger than) (?<max>${SIZE})`), (g, l) => ({ max: size(g.max, l) })),
  PDF_TOO_MANY_PAGES: reading(new RegExp(`has (?<pages>${NUMBER}) pages; the limit is (?<max>${NUMBER})`), (g, l) => ({ pages: count(g.pages, l), max: count(g.max, l) })),
  CSV_TOO_MANY_ROWS: reading(new RegExp(`more than (?<max>${NUMBER}) rows`), (g, l) => ({ max: count(g.max, l) })),
  DOCUMENT_TOO_COMPLEX: reading(new RegExp(`more than (?<size>${SIZE}) of memory`), (g, l) => ({ size: size(g.size, l) })),
  EXTRACTION_TIMEOUT: reading(new RegExp(`longer than (?<seconds>${NUMBER}) s\\b`), (g, l) => ({ seconds: count(g.seconds, l) })),
  STORAGE_LIMIT_REACHED: reading(new RegExp(`use (?<used>${SIZE}) of your (?<max>${SIZE}), and this one is (?<size>${SIZE})`), (g, l) => ({
    used: size(g.used, l),
    max: size(g.max, l),
    size: size(g.size, l),
  })),
  REQUEST_TOO_LARGE: reading(new RegExp(`larger than (?<max>${SIZE})`), (g, l) => ({ max: size(g.max, l) })),
  INVALID_TITLE: reading(new RegExp(`at most (?<max>${NUMBER}) characters`), (g, l) => ({ max: count(g.max, l) })),
  INVALID_LIMIT: reading(new RegExp(`from 0 to (?<max>${NUMBER})`), (g, l) => ({ max: dollars(g.max, l) })),
  INVALID_LIMIT_PARAMETER: reading(new RegExp(`from 1 to (?<max>${NUMBER})`), (g, l) => ({ max: count(g.max, l) })),
  MODEL_TIMEOUT: reading(new RegExp(`stopped answering for (?<seconds>${NUMBER}) s\\b`), (g, l) => ({ seconds: count(g.seconds, l) })),
  HTTP_ERROR: reading(/answered (?<status>\d{3})/, (g) => ({ status: g.status ?? '' })),
  UPLOAD_FAILED: reading(/refused \((?<status>\d{3})\)/, (g) => ({ status: g.status ?? '' })),
  // No numbers, but two situations under one code: the answer had begun (and what came is kept), or not.
  MODEL_FAILED: reading(/part way|interrupted|before finishing/),
  MODEL_THROTTLED: reading(/part way/),
  MODEL_UNAVAILABLE: reading(/part way/),
  SERVICE_UNAVAILABLE: reading(/message is saved/),
  INTERNAL_ERROR: reading(/could not be saved/),
};

/** The codes with a detailed sentence, for the test that each has one in every language. */
export const DETAILED_CODES: readonly string[] = Object.keys(READERS);

/** The values for `errors.codeDetails.<code>`, or undefined when the message does not give them. */
export function errorDetails(code: string, message: string, locale: string): Record<string, string> | undefined {
  return READERS[code]?.(message, locale);
}
