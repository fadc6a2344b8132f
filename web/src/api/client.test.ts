import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, retryAfterSeconds } from './client';

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = vi.fn(async (input: string, init: RequestInit = {}) => {
    calls.push({ url: input, init });
    return respond(input, init);
  });
  return { fetchFn: fetchFn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('the API client', () => {
  it('sends the ID token on every call and reads JSON', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(200, { items: [], nextCursor: 'abc' }));
    const api = createApiClient({ fetch: fetchFn, baseUrl: 'https://api.example/', getToken: async () => 'id-token' });
    expect(await api.listConversations('c/1')).toEqual({ items: [], nextCursor: 'abc' });
    expect(calls[0]?.url).toBe('https://api.example/conversations?limit=30&cursor=c%2F1');
    expect(new Headers(calls[0]?.init.headers).get('Authorization')).toBe('Bearer id-token');
  });

  it('reads every page of files, following nextCursor', async () => {
    const file = (fileId: string) => ({ fileId, fileName: `${fileId}.txt` });
    const { fetchFn, calls } = fakeFetch((url) =>
      url.endsWith('/files') ? json(200, { items: [file('a'), file('b')], nextCursor: '2026-11-30T10:00:00.000Z~b' }) : json(200, { items: [file('c')] }),
    );
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    expect((await api.listFiles()).items.map((item) => item.fileId)).toEqual(['a', 'b', 'c']);
    expect(calls.map((call) => call.url)).toEqual(['/files', '/files?cursor=2026-11-30T10%3A00%3A00.000Z~b']);
  });

  it('turns the API’s error body into an ApiError with its code, message and request id', async () => {
    const { fetchFn } = fakeFetch(() => json(404, { error: { code: 'CONVERSATION_NOT_FOUND', message: 'No such conversation.', requestId: 'r-1' } }));
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    const error = await api.getConversation('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'CONVERSATION_NOT_FOUND', message: 'No such conversation.', requestId: 'r-1', retryable: false });
  });

  it('reports a network failure as a retryable NETWORK_ERROR', async () => {
    const { fetchFn } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    await expect(api.listFiles()).rejects.toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });

  it('streams a chat as events, asking for text/event-stream', async () => {
    const { fetchFn, calls } = fakeFetch(
      () => new Response('event: delta\ndata: {"text":"Hi"}\n\n', { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    );
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    const events = [];
    for await (const event of api.chat({ message: 'Hello', fileIds: ['f1'] })) events.push(event);
    expect(events).toEqual([{ type: 'delta', text: 'Hi' }]);
    expect(new Headers(calls[0]?.init.headers).get('Accept')).toBe('text/event-stream');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ message: 'Hello', fileIds: ['f1'] });
  });

  it('reads Retry-After into the error of a refusal', async () => {
    const { fetchFn } = fakeFetch(() => new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down.' } }), { status: 429, headers: { 'Retry-After': '17' } }));
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    await expect(api.getUsage()).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 17, retryable: true });
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    const limit = new ApiError(429, 'USAGE_LIMIT_REACHED', 'Spent.', undefined, 86_400);
    expect(limit.retryable).toBe(false);
  });

  it('asks for usage, a month’s report and a limit change on the contract’s paths', async () => {
    const { fetchFn, calls } = fakeFetch((url, init) => {
      if (url.startsWith('/admin/users/')) return json(200, { userId: 'u/1', limitUsd: JSON.parse(init.body as string).limitUsd ?? 5, ownLimit: true });
      return json(200, { month: '2026-11', items: [] });
    });
    const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 't' });
    await api.getUsage();
    await api.getAdminUsage();
    await api.getAdminUsage({ month: '2026-10', cursor: 'a/b', limit: 20 });
    expect(await api.setUserLimit('u/1', 12.5)).toEqual({ userId: 'u/1', limitUsd: 12.5, ownLimit: true });
    await api.setUserLimit('u/1', null);
    expect(calls.map((call) => `${call.init.method ?? 'GET'} ${call.url}`)).toEqual([
      'GET /usage',
      'GET /admin/usage',
      'GET /admin/usage?month=2026-10&limit=20&cursor=a%2Fb',
      'PUT /admin/users/u%2F1/limit',
      'PUT /admin/users/u%2F1/limit',
    ]);
    expect(calls.slice(3).map((call) => JSON.parse(call.init.body as string))).toEqual([{ limitUsd: 12.5 }, { limitUsd: null }]);
  });

  describe('when the API refuses the token', () => {
    const unauthorized = () => json(401, { error: { code: 'UNAUTHORIZED', message: 'You are not signed in, or your session has expired. Sign in again.' } });
    /** A server that accepts only `valid`, and a session whose token is `stale` until refreshed. */
    function session(refreshed: string | undefined) {
      let token = 'stale';
      const { fetchFn, calls } = fakeFetch((_url, init) =>
        new Headers(init.headers).get('Authorization') === 'Bearer valid' ? json(200, { items: [] }) : unauthorized(),
      );
      const refreshToken = vi.fn(async () => {
        if (refreshed) token = refreshed;
        return refreshed;
      });
      const onUnauthorized = vi.fn();
      const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => token, refreshToken, onUnauthorized });
      const sentTokens = () => calls.map((call) => new Headers(call.init.headers).get('Authorization'));
      return { api, refreshToken, onUnauthorized, sentTokens };
    }

    it('refreshes once and sends the call again, with the same body, when the refresh token still works', async () => {
      const { api, refreshToken, onUnauthorized, sentTokens } = session('valid');
      expect(await api.listFiles()).toEqual({ items: [] });
      expect(sentTokens()).toEqual(['Bearer stale', 'Bearer valid']);
      // Calls refused together share one refresh.
      const again = session('valid');
      await Promise.all([again.api.listFiles(), again.api.listFiles(), again.api.getUsage()]);
      expect(again.refreshToken).toHaveBeenCalledTimes(1);
      expect(refreshToken).toHaveBeenCalledTimes(1);
      expect(onUnauthorized).not.toHaveBeenCalled();
    });

    it('ends the session when there is nothing to refresh with, or the new token is refused too', async () => {
      for (const refreshed of [undefined, 'also-refused']) {
        const { api, onUnauthorized, sentTokens } = session(refreshed);
        await expect(api.listFiles()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED', retryable: false });
        expect(onUnauthorized).toHaveBeenCalledTimes(1);
        expect(sentTokens()).toEqual(refreshed ? ['Bearer stale', `Bearer ${refreshed}`] : ['Bearer stale']);
      }
    });

    it('counts the chat stream’s 401 too, and API Gateway’s own 401 body as UNAUTHORIZED', async () => {
      const { fetchFn } = fakeFetch(() => json(401, { message: 'Unauthorized' }));
      const onUnauthorized = vi.fn();
      const api = createApiClient({ fetch: fetchFn, baseUrl: '', getToken: async () => 'expired', refreshToken: async () => undefined, onUnauthorized });
      const stream = api.chat({ message: 'Hello' });
      await expect(stream.next()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
    });
  });
});
