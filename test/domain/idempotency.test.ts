import { describe, expect, it } from 'vitest';
import { storedFailure } from '../../src/domain/answer-failures.js';
import { DomainError } from '../../src/domain/errors.js';
import { requestFingerprint } from '../../src/domain/request-claim.js';
import { USER, OTHER_USER, collect, liveSignal, makeDomain, metaOf, ofType } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';
import { failAfter, hangAfter, replyWith } from '../support/fakes.js';

describe('ChatService.send with an idempotency key', () => {
  const send = (d: ReturnType<typeof makeDomain>, message: string, key?: string, extra: { conversationId?: string } = {}, userId = USER) =>
    collect(d.chat.send(userId, { message, ...extra, ...(key && { idempotencyKey: key }) }, liveSignal()));

  it('answers a retry from what was stored: one question, one answer, one model call', async () => {
    const d = makeDomain();
    d.model.play(replyWith('Forty', '-two'));
    const first = await send(d, 'What is the answer?', 'key-1');
    const retry = await send(d, 'What is the answer?', 'key-1');

    expect(d.model.requests).toHaveLength(1);
    expect(metaOf(retry)).toEqual(metaOf(first));
    expect(ofType(retry, 'delta').map((event) => event.text).join('')).toBe('Forty-two');
    const [done] = ofType(retry, 'done');
    expect(done).toMatchObject({ replayed: true, message: { id: ofType(first, 'done')[0]!.message.id, usage: { outputTokens: 2 } } });
    const stored = await d.conversations.listMessages(USER, metaOf(first).conversationId);
    expect(stored.map((message) => message.content)).toEqual(['What is the answer?', 'Forty-two']);
  });

  it('refuses the same key for a different message, with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const d = makeDomain();
    await send(d, 'First message', 'key-2');
    await expectDomainError(send(d, 'Another message', 'key-2'), { kind: 'unprocessable', code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(d.model.requests).toHaveLength(1);
  });

  it('refuses a retry while the first request is still answering, with 409 IDEMPOTENCY_KEY_IN_USE', async () => {
    const d = makeDomain();
    d.model.play(hangAfter('Thinking'));
    const controller = new AbortController();
    const first = d.chat.send(USER, { message: 'Slow one', idempotencyKey: 'key-3' }, controller.signal);
    await first.next(); // meta: the question is stored, the answer is being written
    await expectDomainError(send(d, 'Slow one', 'key-3'), { kind: 'conflict', code: 'IDEMPOTENCY_KEY_IN_USE' });
    controller.abort();
    await collect(first);
  });

  it('takes over, a minute on, a key whose request stored nothing and could not give the key up', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First message'));
    const [read, release] = [d.conversations.read.bind(d.conversations), d.claims.release.bind(d.claims)];
    d.conversations.read = () => Promise.reject(new Error('store down'));
    d.claims.release = () => Promise.reject(new Error('store down'));
    await expect(send(d, 'Second message', 'key-x', { conversationId })).rejects.toThrow('store down');
    d.conversations.read = read;
    d.claims.release = release;
    // Within the minute the first try may still be storing its question: the retry waits.
    await expectDomainError(send(d, 'Second message', 'key-x', { conversationId }), { kind: 'conflict', code: 'IDEMPOTENCY_KEY_IN_USE' });
    d.clock.advance(61_000);
    const retried = await send(d, 'Second message', 'key-x', { conversationId });
    expect(ofType(retried, 'done')).toHaveLength(1);
    // Answered once, and the key is its own now: a second retry replays it.
    expect(ofType(await send(d, 'Second message', 'key-x', { conversationId }), 'done')[0]?.replayed).toBe(true);
    expect(d.model.requests).toHaveLength(2);
    expect((await d.conversations.listMessages(USER, conversationId)).map((message) => message.content)).toEqual(['First message', 'Hello world', 'Second message', 'Hello world']);
  });

  it('keeps different users’ keys apart, and works in an existing conversation', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'Start'));
    await send(d, 'Follow-up', 'shared-key', { conversationId });
    const bobs = await send(d, 'Bob asks', 'shared-key', {}, OTHER_USER);
    expect(ofType(bobs, 'done')[0]?.replayed).toBeUndefined();
    expect(d.model.requests).toHaveLength(3);
    const retry = await send(d, 'Follow-up', 'shared-key', { conversationId });
    expect(ofType(retry, 'done')[0]?.replayed).toBe(true);
    expect((await d.conversations.listMessages(USER, conversationId)).map((message) => message.content)).toEqual(['Start', 'Hello world', 'Follow-up', 'Hello world']);
  });

  it('replays a failed answer as the error it ended with, a DomainError again, without calling the model', async () => {
    const d = makeDomain();
    d.model.play(failAfter(new Error('socket hang up'), 'Half'));
    const first = await send(d, 'Fail once', 'key-5');
    const retry = await send(d, 'Fail once', 'key-5');
    expect(d.model.requests).toHaveLength(1);
    expect(ofType(retry, 'delta').map((event) => event.text)).toEqual(['Half']);
    const [replayed] = ofType(retry, 'error');
    expect(replayed).toMatchObject({ replayed: true, messageId: ofType(first, 'error')[0]!.messageId });
    expect(replayed!.error).toBeInstanceOf(DomainError);
    expect(replayed!.error).toMatchObject({ kind: 'model_failed', code: 'MODEL_FAILED', message: ofType(first, 'error')[0]!.error.message });
  });

  it('replays a failure with the kind it was stored with, and one stored without a kind by its code', () => {
    const told = { code: 'MODEL_THROTTLED', message: 'The model is busy.' };
    expect(storedFailure({ ...told, kind: 'throttled' })).toMatchObject({ kind: 'throttled', ...told });
    // Stored before the kind was kept: only the domain's own outage code was told apart.
    expect(storedFailure(told)).toMatchObject({ kind: 'model_failed', ...told });
    expect(storedFailure({ code: 'SERVICE_UNAVAILABLE', message: 'Try again.' })).toMatchObject({ kind: 'unavailable' });
  });

  it('fingerprints what defines the request, not the order of its files', () => {
    expect(requestFingerprint({ message: 'a', fileIds: ['f1', 'f2'] })).toBe(requestFingerprint({ message: 'a', fileIds: ['f2', 'f1', 'f1'] }));
    expect(requestFingerprint({ message: 'a' })).not.toBe(requestFingerprint({ message: 'b' }));
    expect(requestFingerprint({ message: 'a', conversationId: 'c1' })).not.toBe(requestFingerprint({ message: 'a' }));
  });
});

/** The fingerprint as first written, with BigInt: claims stored by it must still match. */
function bigIntFingerprint(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('requestFingerprint', () => {
  it('gives the digits the BigInt FNV-1a gave, for any text (claims stored before still match)', () => {
    const random = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(Math.random() * 0x10000))).join('');
    const cases = [{ message: '' }, { message: 'Hello' }, { message: 'é😀\u0000\uffff', fileIds: ['f2', 'f1'] }, { conversationId: 'c1', regenerate: { messageId: 'm1' } }];
    for (let i = 0; i < 200; i++) cases.push({ message: random(i * 7), fileIds: [random(5)] });
    for (const request of cases) {
      const parts: unknown[] = [request.conversationId ?? null, request.message ?? '', [...new Set(request.fileIds ?? [])].sort()];
      if (request.regenerate) parts.push({ regenerate: request.regenerate.messageId });
      expect(requestFingerprint(request)).toBe(bigIntFingerprint(JSON.stringify(parts)));
    }
  });
});
