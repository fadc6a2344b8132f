const utf8 = new TextEncoder();

/**
 * What a value takes up in a JSON response body: its serialised UTF-8 bytes. Lambda refuses
 * responses over 6 MB, and characters say little about bytes (a control character is 6 of them
 * escaped, an emoji 4).
 */
export const jsonBytes = (value: unknown): number => utf8.encode(JSON.stringify(value)).length;
