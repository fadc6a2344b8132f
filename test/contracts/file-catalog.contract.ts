import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/domain/file-context.js';
import type { FileCatalog } from '../../src/domain/ports/file-catalog.js';

export type MakeFileCatalog = () => Promise<{ catalog: FileCatalog; cleanup?: () => Promise<void> }>;

const at = (s: number) => new Date(Date.parse('2026-02-01T09:00:00.000Z') + s * 1000).toISOString();

/** What every FileCatalog must do, through the port only. Ids are fresh in each test. */
export function fileCatalogContract(name: string, makeCatalog: MakeFileCatalog): void {
  describe(`FileCatalog contract: ${name}`, () => {
    let catalog: FileCatalog;
    let cleanup: (() => Promise<void>) | undefined;
    let run: string;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ catalog, cleanup } = await makeCatalog());
      run = randomUUID();
      alice = `alice-${run}`;
      bob = `bob-${run}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const fileId = (label: string) => `${label}-${run}`;
    const ready = (label: string, userId: string, uploadedAt = at(0)): FileRecord => ({
      fileId: fileId(label),
      userId,
      fileName: `${label}.md`,
      fileType: 'markdown',
      contentType: 'text/markdown',
      size: 1200,
      charCount: 1100,
      status: 'ready',
      uploadedAt,
      blobKey: `${userId}/${fileId(label)}/${label}.md`,
      textKey: `${userId}/${fileId(label)}/text.txt`,
      preview: '# Notes\n\nThe first lines.',
      pages: 3,
      truncated: true,
    });
    const failed = (label: string, userId: string): FileRecord => ({
      fileId: fileId(label),
      userId,
      fileName: `${label}.json`,
      fileType: 'text',
      contentType: 'application/json',
      size: 10,
      charCount: 0,
      status: 'failed',
      uploadedAt: at(1),
      blobKey: `${userId}/${fileId(label)}/${label}.json`,
      error: { code: 'INVALID_JSON_FILE', message: 'Not valid JSON.' },
    });

    it('gets back what it was given, optional fields included', async () => {
      await catalog.put(ready('notes', alice));
      await catalog.put(failed('broken', alice));
      expect(await catalog.get(alice, fileId('notes'))).toEqual(ready('notes', alice));
      expect(await catalog.get(alice, fileId('broken'))).toEqual(failed('broken', alice));
    });

    it("gets nothing for a missing id or for another user's file", async () => {
      await catalog.put(ready('notes', alice));
      expect(await catalog.get(alice, fileId('missing'))).toBeUndefined();
      expect(await catalog.get(bob, fileId('notes'))).toBeUndefined();
    });

    it("lists the user's files only, newest upload first", async () => {
      await catalog.put(ready('first', alice, at(1)));
      await catalog.put(ready('third', alice, at(3)));
      await catalog.put(ready('second', alice, at(2)));
      await catalog.put(ready('bobs', bob, at(4)));
      expect((await catalog.list(alice)).map((record) => record.fileId)).toEqual([fileId('third'), fileId('second'), fileId('first')]);
      expect(await catalog.list(bob)).toEqual([ready('bobs', bob, at(4))]);
      expect(await catalog.list(`nobody-${run}`)).toEqual([]);
    });

    it('replaces a record on put: fields left out are gone', async () => {
      await catalog.put(failed('doc', alice));
      const replacement = { ...ready('doc', alice), fileName: 'doc.json' };
      await catalog.put(replacement);
      expect(await catalog.get(alice, fileId('doc'))).toEqual(replacement);
      expect(await catalog.list(alice)).toEqual([replacement]);
    });

    it('updates only a record that still exists, and only for its owner', async () => {
      expect(await catalog.update(ready('gone', alice))).toBe(false);
      expect(await catalog.get(alice, fileId('gone'))).toBeUndefined();
      await catalog.put(failed('doc', alice));
      expect(await catalog.update({ ...ready('doc', alice), userId: bob })).toBe(false);
      expect(await catalog.update(ready('doc', alice))).toBe(true);
      expect(await catalog.get(alice, fileId('doc'))).toEqual(ready('doc', alice));
      await catalog.delete(alice, fileId('doc'));
      expect(await catalog.update(ready('doc', alice))).toBe(false);
      expect(await catalog.list(alice)).toEqual([]);
    });

    it('deletes once, and only for the owner', async () => {
      await catalog.put(ready('notes', alice));
      expect(await catalog.delete(bob, fileId('notes'))).toBe(false);
      expect(await catalog.get(alice, fileId('notes'))).toEqual(ready('notes', alice));
      expect(await catalog.delete(alice, fileId('notes'))).toBe(true);
      expect(await catalog.get(alice, fileId('notes'))).toBeUndefined();
      expect(await catalog.list(alice)).toEqual([]);
      expect(await catalog.delete(alice, fileId('notes'))).toBe(false);
    });
  });
}
