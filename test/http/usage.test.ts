import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../support/fakes.js';
import { base64, expectError, startTestServer, type Json, type TestServer } from '../support/http-client.js';

/** The user id (`sub`) a local ID token carries: what the admins' table and routes name users by. */
const userIdOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;

/** The first instant of the month after `2026-11`, as the API writes it. */
const monthAfter = (month: string): string => {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number, 1)).toISOString();
};

/** A Retry-After of whole seconds, from 1 to `max`. */
function expectRetryAfter(headers: Headers, max: number): number {
  const value = headers.get('retry-after') ?? '';
  expect(value).toMatch(/^\d+$/);
  const seconds = Number(value);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(max);
  return seconds;
}

/** A budget far below one answer's cost: the first answer crosses it. */
const TINY_BUDGET_USD = 0.000001;
/** The scripted model's answer: 10 input and 2 output tokens, at $3 and $15 per million. */
const ANSWER_COST_USD = (10 * 3 + 2 * 15) / 1_000_000;

describe('spending control: monthly budgets and the admins who set them', () => {
  let app: TestServer;
  const model = new ScriptedModel();
  let alice: string;
  let bob: string;
  let admin: string;

  const conversationsOf = async (token: string) => (await app.api('/conversations', { token })).json.items as Json[];
  const chat = (token: string, message: string) => app.api('/chat', { method: 'POST', token, body: { message } });
  const setLimit = (token: string, userId: string, body: unknown) => app.api(`/admin/users/${userId}/limit`, { method: 'PUT', token, body });

  beforeAll(async () => {
    app = await startTestServer({ env: { USAGE_LIMIT_USD_PER_MONTH: String(TINY_BUDGET_USD), LOCAL_ADMINS: 'admin' }, overrides: { model } });
    [alice, bob, admin] = await Promise.all([app.signIn('alice'), app.signIn('bob'), app.signIn('admin')]);
  });
  afterAll(() => app.close());

  it('answers the message that crosses the budget, then refuses the next with 429 USAGE_LIMIT_REACHED, storing nothing and calling no model', async () => {
    const first = await chat(alice, 'the question that spends the budget');
    expect(first.status, first.text).toBe(200);
    const conversationId = first.json.conversationId as string;
    const before = { list: await conversationsOf(alice), conversation: (await app.api(`/conversations/${conversationId}`, { token: alice })).json };
    const modelCalls = model.requests.length;

    const buffered = await chat(alice, 'one more, please');
    expectError(buffered, 429, 'USAGE_LIMIT_REACHED');
    expect(buffered.json.error.message).toMatch(/\d{4}-\d{2}-01/); // names the day it starts again
    expectRetryAfter(buffered.headers, 31 * 24 * 3600);

    const streamed = await app.chatStream(alice, { message: 'streamed, in the same conversation', conversationId });
    expect(streamed.status).toBe(429);
    expect(streamed.events).toEqual([]);
    expect(streamed.json.error.code).toBe('USAGE_LIMIT_REACHED');
    expectRetryAfter(streamed.headers, 31 * 24 * 3600);

    expect(model.requests.length).toBe(modelCalls);
    expect(await conversationsOf(alice)).toEqual(before.list);
    expect((await app.api(`/conversations/${conversationId}`, { token: alice })).json).toEqual(before.conversation);
  });

  it('does not refuse another user: each budget is the user’s own', async () => {
    const answer = await app.chatStream(bob, { message: 'bob’s first question' });
    expect(answer.status).toBe(200);
    expect(answer.events.at(-1)?.event).toBe('done');
  });

  it('GET /usage: the caller’s own month, limit and reset, and whether they are an admin', async () => {
    const own = await app.api('/usage', { token: alice });
    expect(own.status).toBe(200);
    expect(own.json).toEqual({
      month: expect.stringMatching(/^\d{4}-(0[1-9]|1[0-2])$/),
      costUsd: expect.any(Number),
      inputTokens: 10,
      outputTokens: 2,
      limitUsd: TINY_BUDGET_USD,
      resetsAt: monthAfter(own.json.month as string),
      admin: false,
    });
    expect(own.json.costUsd).toBeCloseTo(ANSWER_COST_USD, 9);

    const admins = await app.api('/usage', { token: admin });
    expect(admins.json).toMatchObject({ costUsd: 0, inputTokens: 0, outputTokens: 0, limitUsd: TINY_BUDGET_USD, admin: true });
  });

  it('shows an admin every user who spent this month, with cost, tokens and limit', async () => {
    const report = await app.api('/admin/usage', { token: admin });
    expect(report.status, report.text).toBe(200);
    const month = (await app.api('/usage', { token: alice })).json.month as string;
    expect(report.json.month).toBe(month);
    expect(report.json.nextCursor).toBeUndefined();
    const byUser = new Map((report.json.items as Json[]).map((item) => [item.userId as string, item]));
    expect([...byUser.keys()].sort()).toEqual([userIdOf(alice), userIdOf(bob)].sort());
    for (const [token, name] of [
      [alice, 'alice@local.invalid'],
      [bob, 'bob@local.invalid'],
    ] as const) {
      const row = byUser.get(userIdOf(token));
      expect(row).toEqual({
        userId: userIdOf(token),
        displayName: name,
        costUsd: expect.any(Number),
        inputTokens: 10,
        outputTokens: 2,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        limitUsd: TINY_BUDGET_USD,
        ownLimit: false,
      });
      expect(row.costUsd).toBeCloseTo(ANSWER_COST_USD, 9);
    }
  });

  it('lets an admin raise a user’s limit (the user can chat again) and clear it (the default applies again)', async () => {
    const aliceId = userIdOf(alice);
    const raised = await setLimit(admin, aliceId, { limitUsd: 5 });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.json).toEqual({ userId: aliceId, limitUsd: 5, ownLimit: true });
    expect((await app.api('/usage', { token: alice })).json.limitUsd).toBe(5);
    const row = ((await app.api('/admin/usage', { token: admin })).json.items as Json[]).find((item) => item.userId === aliceId);
    expect(row).toMatchObject({ limitUsd: 5, ownLimit: true });

    expect((await chat(alice, 'allowed again')).status).toBe(200);
    // Bob still has the default.
    expectError(await chat(bob, 'bob crossed it too'), 429, 'USAGE_LIMIT_REACHED');

    const cleared = await setLimit(admin, aliceId, { limitUsd: null });
    expect(cleared.json).toEqual({ userId: aliceId, limitUsd: TINY_BUDGET_USD, ownLimit: false });
    expectError(await chat(alice, 'over the default again'), 429, 'USAGE_LIMIT_REACHED');

    // A limit of zero stops a user who has spent nothing yet.
    const fresh = await app.signIn('carol');
    expect((await setLimit(admin, userIdOf(fresh), { limitUsd: 0 })).json).toEqual({ userId: userIdOf(fresh), limitUsd: 0, ownLimit: true });
    expectError(await chat(fresh, 'hello'), 429, 'USAGE_LIMIT_REACHED');
  });

  it('answers every admin route 403 FORBIDDEN for a user who is not an admin, before looking at the request', async () => {
    const attempts = [
      () => app.api('/admin/usage', { token: bob }),
      () => app.api('/admin/usage?month=not-a-month&limit=0', { token: bob }),
      () => setLimit(bob, userIdOf(bob), { limitUsd: 1000 }),
      () => setLimit(bob, userIdOf(alice), { limitUsd: 'not a number' }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expectError(response, 403, 'FORBIDDEN');
      expect(response.json.error.message).toBe('Only admins can do this.');
    }
    // Bob's limit did not move.
    expect((await app.api('/usage', { token: bob })).json.limitUsd).toBe(TINY_BUDGET_USD);
    expectError(await app.api('/admin/usage'), 401, 'UNAUTHORIZED');
  });

  it('pages through a month with limit and cursor, and shows a month without usage as empty', async () => {
    const all = ((await app.api('/admin/usage', { token: admin })).json.items as Json[]).map((item) => item.userId as string);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await app.api(`/admin/usage?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
      expect(page.status, page.text).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(1);
      seen.push(...(page.json.items as Json[]).map((item) => item.userId as string));
      cursor = page.json.nextCursor as string | undefined;
    } while (cursor !== undefined && seen.length <= all.length);
    expect(seen).toEqual(all);

    const past = await app.api('/admin/usage?month=2020-01', { token: admin });
    expect(past.status).toBe(200);
    expect(past.json).toEqual({ month: '2020-01', items: [] });
  });

  it('refuses a bad month, page size, cursor, limit or user id with 400 and its own code', async () => {
    for (const month of ['2026-13', '2026-1', 'november', '']) {
      expectError(await app.api(`/admin/usage?month=${encodeURIComponent(month)}`, { token: admin }), 400, 'INVALID_MONTH');
    }
    for (const limit of ['0', '101', '-1', '1.5', 'ten', '', '1e2']) {
      expectError(await app.api(`/admin/usage?limit=${encodeURIComponent(limit)}`, { token: admin }), 400, 'INVALID_LIMIT_PARAMETER');
    }
    for (const cursor of ['garbage', 'eyJub3QiOiJhIGN1cnNvciJ9', '']) {
      expectError(await app.api(`/admin/usage?cursor=${encodeURIComponent(cursor)}`, { token: admin }), 400, 'INVALID_CURSOR');
    }
    expectError(await app.api('/admin/usage?page=2', { token: admin }), 400, 'VALIDATION_FAILED');

    const bobId = userIdOf(bob);
    for (const body of [{ limitUsd: -1 }, { limitUsd: '5' }, { limitUsd: 1_000_001 }, {}, { limitUsd: 5, extra: true }, [5]]) {
      expectError(await setLimit(admin, bobId, body), 400, 'INVALID_LIMIT');
    }
    expectError(await setLimit(admin, bobId, '{"limitUsd":'), 400, 'INVALID_JSON');
    expectError(await app.api(`/admin/users/${bobId}/limit`, { method: 'PUT', token: admin }), 400, 'MISSING_BODY');
    expectError(await setLimit(admin, 'not%20an%20id', { limitUsd: 5 }), 400, 'INVALID_USER_ID');
    // Nothing of it changed bob's limit.
    expect((await app.api('/usage', { token: bob })).json.limitUsd).toBe(TINY_BUDGET_USD);
  });
});

describe('spending control: messages per minute', () => {
  let app: TestServer;
  beforeAll(async () => {
    app = await startTestServer({ env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '2' } });
  });
  afterAll(() => app.close());

  it('refuses the third message of a minute with 429 RATE_LIMITED and a Retry-After in seconds, storing nothing', async () => {
    // Counts are per clock minute: three messages must not straddle one.
    const secondsLeft = 60 - new Date().getUTCSeconds();
    if (secondsLeft < 10) await new Promise((resolve) => setTimeout(resolve, secondsLeft * 1000 + 100));
    const token = await app.signIn('rapid');
    expect((await app.api('/chat', { method: 'POST', token, body: { message: 'one' } })).status).toBe(200);
    expect((await app.chatStream(token, { message: 'two' })).status).toBe(200);

    const streamed = await app.chatStream(token, { message: 'three' });
    expect(streamed.status).toBe(429);
    expect(streamed.json.error.code).toBe('RATE_LIMITED');
    expectRetryAfter(streamed.headers, 60);
    const buffered = await app.api('/chat', { method: 'POST', token, body: { message: 'four' } });
    expectError(buffered, 429, 'RATE_LIMITED');
    expect(buffered.json.error.message).toMatch(/2 messages a minute/);
    expectRetryAfter(buffered.headers, 60);
    expect((await app.api('/conversations', { token })).json.items).toHaveLength(2);

    // Another user has a minute of their own.
    expect((await app.api('/chat', { method: 'POST', token: await app.signIn('patient'), body: { message: 'one' } })).status).toBe(200);
  });
});

describe('spending control: storage per user', () => {
  let app: TestServer;
  beforeAll(async () => {
    // 0.0001 MB: 105 bytes.
    app = await startTestServer({ env: { STORAGE_LIMIT_MB_PER_USER: '0.0001' } });
  });
  afterAll(() => app.close());

  it('refuses an inline upload or an upload slot past the user’s storage with 413 STORAGE_LIMIT_REACHED', async () => {
    const token = await app.signIn('hoarder');
    const upload = (name: string, bytes: number) =>
      app.api('/files', { method: 'POST', token, body: { fileName: name, contentType: 'text/plain', data: base64('x'.repeat(bytes)) } });
    expect((await upload('first.txt', 60)).status).toBe(201);

    const inline = await upload('second.txt', 60);
    expectError(inline, 413, 'STORAGE_LIMIT_REACHED');
    expect(inline.json.error.message).toMatch(/Delete files/);
    const slot = await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'big.txt', contentType: 'text/plain', size: 60 } });
    expectError(slot, 413, 'STORAGE_LIMIT_REACHED');
    expect(((await app.api('/files', { token })).json.items as Json[]).map((file) => file.fileName)).toEqual(['first.txt']);

    // What still fits is taken; another user's storage is their own.
    expect((await upload('small.txt', 45)).status).toBe(201);
    const other = await app.signIn('neighbour');
    expect((await app.api('/files', { method: 'POST', token: other, body: { fileName: 'n.txt', contentType: 'text/plain', data: base64('x'.repeat(100)) } })).status).toBe(201);
  });
});
