/**
 * A deep copy of plain data (objects, arrays, strings, numbers, booleans, null): what the
 * in-memory adapters hand out and keep, so that no caller can change what is stored. Cheaper
 * than `structuredClone` for the small records they hold, which serialises and parses every
 * value (figures in bench/README.md, request-overhead). Records here never hold dates, maps or
 * bytes.
 */
export function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy as T;
}
