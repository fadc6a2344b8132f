import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './client';

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
});
