import { LRUCache } from 'lru-cache';
import type { TextCache } from '../../domain/ports/text-cache.js';

/**
 * The texts used last, up to `maxBytes` of memory (two bytes a UTF-16 code unit, what a string
 * may take in V8). A text larger than a quarter of the whole is not kept: one huge file would
 * otherwise push out every other conversation's files. `maxBytes` 0 keeps nothing.
 */
export class LruTextCache implements TextCache {
  private readonly texts: LRUCache<string, string> | undefined;

  constructor(maxBytes: number) {
    this.texts =
      maxBytes > 0
        ? new LRUCache<string, string>({ maxSize: maxBytes, maxEntrySize: Math.max(1, Math.floor(maxBytes / 4)), sizeCalculation: (text) => Math.max(1, text.length * 2) })
        : undefined;
  }

  get(key: string): string | undefined {
    return this.texts?.get(key);
  }

  set(key: string, text: string): void {
    this.texts?.set(key, text);
  }
}
