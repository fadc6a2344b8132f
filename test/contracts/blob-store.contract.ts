import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore, UploadTarget } from '../../src/domain/ports/blob-store.js';

/** Sends bytes to an upload URL as a browser would; the HTTP status (or the store's equivalent). */
export type SendUpload = (target: UploadTarget, bytes: Uint8Array) => Promise<number>;

export type MakeBlobStore = () => Promise<{ blobs: BlobStore; send: SendUpload; cleanup?: () => Promise<void> }>;

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What every BlobStore must do, through the port only. Keys live under a fresh prefix in each test. */
export function blobStoreContract(name: string, makeBlobs: MakeBlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    let blobs: BlobStore;
    let send: SendUpload;
    let cleanup: (() => Promise<void>) | undefined;
    let root: string;

    beforeEach(async () => {
      ({ blobs, send, cleanup } = await makeBlobs());
      root = `contract-${randomUUID()}/`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('gives back the exact bytes it was given, binary included', async () => {
      // Every byte value, then sequences that are not valid UTF-8.
      const bytes = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x00]);
      await blobs.put(`${root}bin/data.bin`, bytes, 'application/octet-stream');
      const read = await blobs.get(`${root}bin/data.bin`);
      expect(read).toBeInstanceOf(Uint8Array);
      expect([...read!]).toEqual([...bytes]);
    });

    it('gives nothing for a missing key', async () => {
      expect(await blobs.get(`${root}missing.txt`)).toBeUndefined();
      expect(await blobs.stat(`${root}missing.txt`)).toBeUndefined();
    });

    it('states size and content type', async () => {
      await blobs.put(`${root}notes.md`, utf8('# héllo'), 'text/markdown');
      expect(await blobs.stat(`${root}notes.md`)).toEqual({ size: 8, contentType: 'text/markdown' });
    });

    it('replaces bytes and type on put', async () => {
      await blobs.put(`${root}a.txt`, utf8('first version'), 'text/plain');
      await blobs.put(`${root}a.txt`, utf8('{"v":2}'), 'application/json');
      expect(new TextDecoder().decode(await blobs.get(`${root}a.txt`))).toBe('{"v":2}');
      expect(await blobs.stat(`${root}a.txt`)).toEqual({ size: 7, contentType: 'application/json' });
    });

    it('deletes a key, and deleting a missing key is harmless', async () => {
      await blobs.put(`${root}a.txt`, utf8('a'), 'text/plain');
      await blobs.put(`${root}b.txt`, utf8('b'), 'text/plain');
      await blobs.delete(`${root}a.txt`);
      expect(await blobs.get(`${root}a.txt`)).toBeUndefined();
      expect(await blobs.stat(`${root}a.txt`)).toBeUndefined();
      expect(await blobs.stat(`${root}b.txt`)).toBeDefined();
      await expect(blobs.delete(`${root}a.txt`)).resolves.toBeUndefined();
    });

    it('deletes only the keys under a prefix and counts them', async () => {
      const keys = ['u1/f1/a.txt', 'u1/f1/text.txt', 'u1/f10/a.txt', 'u1/f2/f1/a.txt', 'u2/f1/a.txt'].map((key) => `${root}${key}`);
      for (const key of keys) await blobs.put(key, utf8(key), 'text/plain');
      expect(await blobs.deletePrefix(`${root}u1/f1/`)).toBe(2);
      const left = await Promise.all(keys.map(async (key) => (await blobs.stat(key)) !== undefined));
      expect(left).toEqual([false, false, true, true, true]);
      expect(await blobs.deletePrefix(`${root}u1/f1/`)).toBe(0);
    });

    it('creates an upload URL: absolute, PUT, with the content type to send, expiring later', async () => {
      const key = `${root}u1/f1/big.csv`;
      const target = await blobs.createUploadUrl({ key, contentType: 'text/csv', size: 1234, expiresInSeconds: 300 });
      expect(['http:', 'https:']).toContain(new URL(target.url).protocol);
      expect(target.method).toBe('PUT');
      const contentType = Object.entries(target.headers).find(([header]) => header.toLowerCase() === 'content-type');
      expect(contentType?.[1]).toBe('text/csv');
      expect(Date.parse(target.expiresAt)).toBeGreaterThan(Date.now());
      expect(await blobs.stat(key)).toBeUndefined();
    });

    const announce = (key: string, bytes: Uint8Array) => blobs.createUploadUrl({ key, contentType: 'text/csv', size: bytes.length, expiresInSeconds: 300 });

    it('takes an upload URL\'s bytes once: a second PUT is refused and the first bytes stay', async () => {
      const key = `${root}u1/f1/people.csv`;
      const first = utf8('name\nAda\n');
      const target = await announce(key, first);
      expect(await send(target, first)).toBe(200);
      expect(await blobs.stat(key)).toEqual({ size: first.length, contentType: 'text/csv' });
      const status = await send(target, utf8('name\nEve\n'));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(await blobs.get(key)).toEqual(first);
    });

    it('seals a key: its bytes go, reads find nothing, and its upload URL writes nothing there any more', async () => {
      const uploaded = `${root}u1/f2/people.csv`;
      const bytes = utf8('name\nAda\n');
      const used = await announce(uploaded, bytes);
      expect(await send(used, bytes)).toBe(200);
      await blobs.seal(uploaded);
      expect(await blobs.get(uploaded)).toBeUndefined();
      expect(await blobs.stat(uploaded)).toBeUndefined();
      expect(await send(used, bytes)).toBeGreaterThanOrEqual(400);

      const unused = `${root}u1/f3/people.csv`;
      const fresh = await announce(unused, bytes);
      await blobs.seal(unused);
      expect(await send(fresh, bytes)).toBeGreaterThanOrEqual(400);
      expect(await blobs.get(unused)).toBeUndefined();
      expect(await blobs.stat(unused)).toBeUndefined();
    });

    it('removes a sealed key with its prefix', async () => {
      await blobs.seal(`${root}u1/f4/a.txt`);
      await blobs.deletePrefix(`${root}u1/f4/`);
      const target = await announce(`${root}u1/f4/a.txt`, utf8('a'));
      expect(await blobs.stat(`${root}u1/f4/a.txt`)).toBeUndefined();
      // The prefix is gone whole; a URL made afterwards for the key is a new one and may write it.
      expect(await send(target, utf8('a'))).toBe(200);
    });
  });
}
