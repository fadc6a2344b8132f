import { describe, expect, it } from 'vitest';
import type { TextCache } from '../../src/domain/ports/text-cache.js';

/** A cache that may hold about `bytes` of text (as UTF-16, two bytes a character). */
export type MakeTextCache = (bytes: number) => TextCache;

/** What every TextCache must do, through the port only. */
export function textCacheContract(name: string, makeCache: MakeTextCache): void {
  describe(`TextCache contract: ${name}`, () => {
    it('gives back the text kept under a key, and nothing for a key it never saw', () => {
      const cache = makeCache(1_000_000);
      cache.set('f1 v1', 'The meeting is at noon.');
      expect(cache.get('f1 v1')).toBe('The meeting is at noon.');
      expect(cache.get('f1 v2')).toBeUndefined();
      expect(cache.get('f2 v1')).toBeUndefined();
    });

    it('keeps an empty text as a text', () => {
      const cache = makeCache(1_000_000);
      cache.set('empty', '');
      expect(cache.get('empty')).toBe('');
    });

    it('stays within its memory, forgetting the texts used longest ago first', () => {
      const cache = makeCache(40_000); // room for about four texts of 5,000 characters
      const text = (n: number) => String(n).repeat(5_000).slice(0, 5_000);
      for (let n = 1; n <= 4; n++) cache.set(`f${n}`, text(n));
      expect(cache.get('f1')).toBe(text(1)); // used again: now the most recent
      for (let n = 5; n <= 8; n++) cache.set(`f${n}`, text(n));
      const kept = Array.from({ length: 8 }, (_, i) => `f${i + 1}`).filter((key) => cache.get(key) !== undefined);
      expect(kept.length).toBeLessThanOrEqual(4);
      expect(kept).toContain('f8');
      expect(kept).not.toContain('f2');
    });

    it('does not let one huge text push out all the others', () => {
      const cache = makeCache(40_000);
      cache.set('small', 'a short note');
      cache.set('huge', 'x'.repeat(30_000));
      expect(cache.get('small')).toBe('a short note');
      expect(cache.get('huge')).toBeUndefined();
    });

    it('keeps nothing when given no memory', () => {
      const cache = makeCache(0);
      cache.set('f1', 'text');
      expect(cache.get('f1')).toBeUndefined();
    });
  });
}
