/**
 * Extracted texts kept in this process's memory between requests. A file's text is written once,
 * when the file is read, and never changes; reading it from the blob store again would cost a
 * round trip (tens of milliseconds on S3) on every message of a conversation with files. Keys name
 * the file and the version of its text. Bounded: what does not fit is forgotten, never refused.
 */
export interface TextCache {
  get(key: string): string | undefined;
  set(key: string, text: string): void;
}
