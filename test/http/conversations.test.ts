import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { FixedClock } from '../support/fakes.js';
import { expectError, pluck, startTestServer, type Json, type TestServer } from '../support/http-client.js';

describe('/conversations', () => {
  let app: TestServer;
  let token: string;
  /** Oldest first. */
  const created: string[] = [];

  const list = async (query = '') => {
    const res = await app.api(`/conversations${query}`, { token });
    expect(res.status, res.text).toBe(200);
    return res.json as { items: Json[]; nextCursor?: string };
  };

  beforeAll(async () => {
    // A clock that moves on every read: "newest first" is then a strict order.
    app = await startTestServer({ overrides: { clock: new FixedClock() } });
    token = await app.signIn('history-carol');
    for (let i = 1; i <= 5; i++) {
      const res = await app.api('/chat', { method: 'POST', token, body: { message: `Conversation number ${i}` } });
      expect(res.status, res.text).toBe(200);
      created.push(res.json.conversationId as string);
    }
  });
  afterAll(() => app.close());

  it('lists newest first, page by page with limit and cursor', async () => {
    const newestFirst = [...created].reverse();

    const first = await list('?limit=2');
    expect(pluck(first.items, 'conversationId')).toEqual(newestFirst.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    for (const item of first.items) {
      expect(Object.keys(item as object).sort()).toEqual(['conversationId', 'createdAt', 'title', 'updatedAt']);
      expect(item.title).toMatch(/^Conversation number \d$/);
      expect(Date.parse(item.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(item.createdAt as string));
    }

    const second = await list(`?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(pluck(second.items, 'conversationId')).toEqual(newestFirst.slice(2, 4));
    expect(second.nextCursor).toEqual(expect.any(String));

    const third = await list(`?limit=2&cursor=${encodeURIComponent(second.nextCursor!)}`);
    expect(pluck(third.items, 'conversationId')).toEqual(newestFirst.slice(4));
    expect(third.nextCursor).toBeUndefined();

    const all = await list();
    expect(pluck(all.items, 'conversationId')).toEqual(newestFirst);
    expect(all.nextCursor).toBeUndefined();
  });

  it('pages on from a cursor whose conversation was deleted meanwhile', async () => {
    const other = await app.signIn('history-paging');
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const res = await app.api('/chat', { method: 'POST', token: other, body: { message: `Paging ${i}` } });
      ids.push(res.json.conversationId as string);
    }
    const first = await app.api('/conversations?limit=2', { token: other });
    expect(pluck(first.json.items, 'conversationId')).toEqual([ids[3], ids[2]]);
    expect((await app.api(`/conversations/${ids[2]}`, { method: 'DELETE', token: other })).status).toBe(204);
    const rest: unknown[] = [];
    let cursor = first.json.nextCursor as string | undefined;
    for (let pages = 0; cursor !== undefined; pages++) {
      expect(pages, 'too many pages').toBeLessThan(5);
      const page = await app.api(`/conversations?limit=2&cursor=${encodeURIComponent(cursor)}`, { token: other });
      expect(page.status, page.text).toBe(200);
      rest.push(...pluck(page.json.items, 'conversationId'));
      cursor = page.json.nextCursor as string | undefined;
    }
    expect(rest).toEqual([ids[1], ids[0]]);
  });

  it('gets one conversation with its messages', async () => {
    const res = await app.api(`/conversations/${created[0]}`, { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      conversationId: created[0],
      title: 'Conversation number 1',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      fileIds: [],
    });
    expect(pluck(res.json.messages, 'role')).toEqual(['user', 'assistant']);
  });

  it('renames a conversation, answers its summary and lists it with the new title', async () => {
    const id = created[1]!;
    const before = await app.api(`/conversations/${id}`, { token });
    const res = await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: { title: '  Renamed   conversation ' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      conversationId: id,
      title: 'Renamed conversation',
      createdAt: before.json.createdAt,
      updatedAt: expect.any(String),
    });

    const all = await list();
    const listed = all.items.find((c) => c.conversationId === id);
    expect(listed).toEqual(res.json);
    const got = await app.api(`/conversations/${id}`, { token });
    expect(got.json.title).toBe('Renamed conversation');
    expect(got.json.messages).toHaveLength(2);
  });

  it('refuses an empty, blank, missing or overlong title with 400', async () => {
    const id = created[2]!;
    expectError(await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: { title: '' } }), 400);
    expectError(await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: { title: '   \n\t ' } }), 400);
    expectError(await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: {} }), 400, 'VALIDATION_FAILED');
    expectError(await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: { title: 42 } }), 400, 'VALIDATION_FAILED');
    expectError(await app.api(`/conversations/${id}`, { method: 'PATCH', token, body: { title: 'x'.repeat(201) } }), 400);
    const got = await app.api(`/conversations/${id}`, { token });
    expect(got.json.title).toBe('Conversation number 3');
  });

  /** One conversation of `count` questions, each written by `message(n)`; its id. */
  const askRepeatedly = async (reader: string, count: number, message: (n: number) => string): Promise<string> => {
    let conversationId: string | undefined;
    for (let n = 0; n < count; n++) {
      const res = await app.api('/chat', { method: 'POST', token: reader, body: { message: message(n), ...(conversationId && { conversationId }) } });
      expect(res.status, res.text).toBe(200);
      conversationId = res.json.conversationId as string;
    }
    return conversationId!;
  };

  /** The ids of a conversation too long for one read, oldest first, paging back with `before`; `check` sees every page. */
  const readAllPages = async (reader: string, conversationId: string, check: (page: { text: string }) => void = () => {}): Promise<string[]> => {
    let page = await app.api(`/conversations/${conversationId}`, { token: reader });
    expect(page.status).toBe(200);
    check(page);
    expect(page.json.omittedMessages).toBeGreaterThan(0);
    const ids = pluck(page.json.messages as Json[], 'id') as string[];
    while (page.json.omittedMessages) {
      page = await app.api(`/conversations/${conversationId}?before=${ids[0]}`, { token: reader });
      expect(page.status, page.text).toBe(200);
      check(page);
      ids.unshift(...(pluck(page.json.messages as Json[], 'id') as string[]));
    }
    return ids;
  };

  it('pages back through a conversation too long for one read, each message once', async () => {
    // 2.4 million characters, but 7.1 MB in UTF-8 (three bytes each), over the 5 MB one read
    // sends: the oldest messages are left for the next page.
    const long = '中'.repeat(99_000);
    const reader = await app.signIn('history-long-reader');
    const conversationId = await askRepeatedly(reader, 24, (n) => `${n} ${long}`);
    const ids = await readAllPages(reader, conversationId);
    expect(ids).toHaveLength(48);
    expect(new Set(ids).size).toBe(48);

    expectError(await app.api(`/conversations/${conversationId}?before=not-a-message`, { token: reader }), 400, 'UNKNOWN_MESSAGE');
    expectError(await app.api(`/conversations/${conversationId}?page=2`, { token: reader }), 400, 'VALIDATION_FAILED');
    // Another user (the suite's own) hears "not found", whatever `before` says.
    expectError(await app.api(`/conversations/${conversationId}?before=${ids[0]}`, { token }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('bounds a read by its serialised bytes, not its characters: 16 messages of 100,000 control characters', async () => {
    // Each serialises to 600 KB (JSON escapes a control character to six bytes): 9.6 MB in all,
    // over Lambda's 6 MB response limit although only 1.6 million characters.
    const control = '\u0001'.repeat(100_000);
    const reader = await app.signIn('history-control-reader');
    const conversationId = await askRepeatedly(reader, 16, () => control);
    const ids = await readAllPages(reader, conversationId, (page) => expect(Buffer.byteLength(page.text)).toBeLessThan(6_000_000));
    expect(ids).toHaveLength(32);
    expect(new Set(ids).size).toBe(32);
  });

  it('answers 404 for a conversation that does not exist', async () => {
    expectError(await app.api('/conversations/does-not-exist', { token }), 404, 'CONVERSATION_NOT_FOUND');
    expectError(await app.api('/conversations/does-not-exist', { method: 'PATCH', token, body: { title: 'x' } }), 404, 'CONVERSATION_NOT_FOUND');
    expectError(await app.api('/conversations/does-not-exist', { method: 'DELETE', token }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('deletes a conversation: 204, then 404, and gone from the list', async () => {
    const id = created[3]!;
    const res = await app.api(`/conversations/${id}`, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    expectError(await app.api(`/conversations/${id}`, { token }), 404, 'CONVERSATION_NOT_FOUND');
    expectError(await app.api(`/conversations/${id}`, { method: 'DELETE', token }), 404, 'CONVERSATION_NOT_FOUND');
    const chat = await app.api('/chat', { method: 'POST', token, body: { conversationId: id, message: 'Are you there?' } });
    expectError(chat, 404, 'CONVERSATION_NOT_FOUND');

    const all = await list();
    expect(pluck(all.items, 'conversationId')).not.toContain(id);
    expect(all.items).toHaveLength(4);
  });
});
