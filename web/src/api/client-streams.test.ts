import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, StreamNotFoundError } from './client';
import type { StreamEvent } from './sse';

/** A fetch answering every call with `respond`'s response, and remembering what was asked. */
function fakeFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof fetch;
  return { api: createApiClient({ fetch: fetchFn, baseUrl: 'https://api.example', getToken: async () => 't' }), calls };
}

const sse = (body: string) => new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('the API client’s resumable streams', () => {
  it('gives each event of a chat the id its frame carries, and none to a keep-alive', async () => {
    const { api } = fakeFetch(() =>
      sse(
        'id: 1\nevent: meta\ndata: {"conversationId":"c1","userMessageId":"u1","answerMessageId":"a1","title":"Hi"}\n\n' +
          ': keep-alive\n\n' +
          'id: 2\nevent: delta\ndata: {"text":"Hel"}\n\nid: 3\nevent: delta\ndata: {"text":"lo"}\n\n' +
          'id: 4\nevent: done\ndata: {"messageId":"a1","stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":2}}\n\n',
      ),
    );
    const events = await collect(api.chat({ message: 'Hi' }));
    expect(events.map((event) => [event.eventId, event.type])).toEqual([
      [1, 'meta'],
      [2, 'delta'],
      [3, 'delta'],
      [4, 'done'],
    ]);
    // The event's own data is as it was: the id sits beside it.
    expect(events[1]).toEqual({ type: 'delta', text: 'Hel', eventId: 2 });
  });

  it('resumes a stream after the last event read, and reads a coalesced delta under the last id it covers', async () => {
    const { api, calls } = fakeFetch(() =>
      sse('id: 7\nevent: delta\ndata: {"text":"lo wor"}\n\nid: 8\nevent: done\ndata: {"messageId":"a/1","stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":4}}\n\n'),
    );
    const events = await collect(api.resumeChat('a/1', 4));
    expect(events.map((event) => [event.eventId, event.type])).toEqual([
      [7, 'delta'],
      [8, 'done'],
    ]);
    expect(calls[0]?.url).toBe('https://api.example/chat/streams/a%2F1?after=4');
    expect(calls[0]?.init.method ?? 'GET').toBe('GET');
    const headers = new Headers(calls[0]?.init.headers);
    expect([headers.get('Accept'), headers.get('Authorization')]).toEqual(['text/event-stream', 'Bearer t']);
  });

  it('says a stream that is not kept (404) is not found, and other refusals as they are', async () => {
    const notFound = fakeFetch(() =>
      new Response(JSON.stringify({ error: { code: 'STREAM_NOT_FOUND', message: 'No such stream.', requestId: 'r-9' } }), { status: 404 }),
    );
    const error = await collect(notFound.api.resumeChat('gone', 3)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND', requestId: 'r-9', retryable: false });

    const busy = fakeFetch(() => new Response('Service Unavailable', { status: 503 }));
    const unavailable = await collect(busy.api.resumeChat('a1', 3)).catch((caught: unknown) => caught);
    expect(unavailable).not.toBeInstanceOf(StreamNotFoundError);
    expect(unavailable).toBeInstanceOf(ApiError);
    expect(unavailable).toMatchObject({ status: 503, retryable: true });
  });

  it('stops an answer by its id, and reads what the server says of it', async () => {
    const { api, calls } = fakeFetch(() => new Response(JSON.stringify({ status: 'stopping' }), { status: 202 }));
    expect(await api.stopChat('a/1')).toBe('stopping');
    expect([calls[0]?.url, calls[0]?.init.method]).toEqual(['https://api.example/chat/streams/a%2F1/stop', 'POST']);
  });
});
