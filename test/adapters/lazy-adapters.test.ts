import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../src/adapters/blob-store/memory-blob-store.js';
import { PlainTextExtractor } from '../../src/adapters/text-extractor/plain-text-extractor.js';
import { LazyBlobStore } from '../../src/adapters/lazy/lazy-blob-store.js';
import { LazyChatModel } from '../../src/adapters/lazy/lazy-chat-model.js';
import { LazyTextExtractor } from '../../src/adapters/lazy/lazy-text-extractor.js';
import { ScriptedModel, replyWith } from '../support/fakes.js';
import { collect } from '../support/domain-builder.js';

describe('lazily loaded adapters', () => {
  it('loads the model on its first answer only, and tries again after a failed load', async () => {
    let loads = 0;
    const model = new LazyChatModel('lazy', { contextWindowTokens: 1000, maxOutputTokens: 100 }, async () => {
      loads++;
      if (loads === 1) throw new Error('the chunk could not be read');
      return new ScriptedModel(replyWith('Hi'));
    });
    expect(model.limits.contextWindowTokens).toBe(1000); // known without loading
    expect(loads).toBe(0);
    const request = { system: '', documents: [], messages: [{ role: 'user' as const, content: 'hello' }], maxOutputTokens: 100 };
    await expect(collect(model.stream(request, new AbortController().signal))).rejects.toThrow('the chunk could not be read');
    expect(await collect(model.stream(request, new AbortController().signal))).toContainEqual({ type: 'text', text: 'Hi' });
    await collect(model.stream(request, new AbortController().signal));
    expect(loads).toBe(2);
  });

  it('loads the blob store on the first call that needs it, once', async () => {
    let loads = 0;
    const blobs = new LazyBlobStore(async () => {
      loads++;
      return new MemoryBlobStore(() => 'http://127.0.0.1:9/uploads');
    });
    expect(loads).toBe(0);
    await Promise.all([blobs.put('a/1', new Uint8Array([1]), 'text/plain'), blobs.put('a/2', new Uint8Array([2]), 'text/plain')]);
    expect(await blobs.get('a/1')).toEqual(new Uint8Array([1]));
    expect(await blobs.deletePrefix('a/')).toBe(2);
    expect(loads).toBe(1);
  });

  it('answers accepts() without loading the readers, and extracts with them', async () => {
    let loads = 0;
    const extractor = new LazyTextExtractor(async () => {
      loads++;
      return new PlainTextExtractor();
    });
    expect(extractor.accepts('report.pdf', 'application/pdf')).toBe(true);
    expect(extractor.accepts('setup.exe', 'application/x-msdownload')).toBe(false);
    expect(loads).toBe(0);
    const result = await extractor.extract({ bytes: new TextEncoder().encode('hello'), fileName: 'a.txt', contentType: 'text/plain' });
    expect(result.text).toBe('hello');
    expect(loads).toBe(1);
  });
});
