import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel, replyWith } from '../support/fakes.js';
import { eventually, expectError, startTestServer, type Json, type TestServer } from '../support/http-client.js';
import { allFrames, gatedScript, readFrames, textOf, type SseFrame } from '../support/sse-frames.js';

/**
 * Streams that survive a dropped connection: every frame of `POST /chat` has an id, the answer
 * goes on when its client goes, `GET /chat/streams/{id}` sends the rest from any id, and only a
 * Stop (`POST /chat/streams/{id}/stop`) stops the model. On the in-memory stores here, and on
 * dynalite in the http-on-embedded-stores project.
 */
describe('resumable answer streams', () => {
  let app: TestServer;
  let token: string;
  let otherToken: string;
  const model = new ScriptedModel();

  beforeAll(async () => {
    app = await startTestServer({ overrides: { model } });
    token = await app.signIn('resume-alice');
    otherToken = await app.signIn('resume-mallory');
  });
  afterAll(() => app.close());

  const openChat = (body: object, signal?: AbortSignal) =>
    fetch(`${app.url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal && { signal }),
    });
  const resume = (messageId: string, { lastEventId, query = '', as = token }: { lastEventId?: string; query?: string; as?: string } = {}) =>
    fetch(`${app.url}/chat/streams/${messageId}${query}`, {
      headers: { Authorization: `Bearer ${as}`, Accept: 'text/event-stream', ...(lastEventId !== undefined && { 'Last-Event-ID': lastEventId }) },
    });
  const stop = (messageId: string, as = token) => app.api(`/chat/streams/${messageId}/stop`, { method: 'POST', token: as });
  const storedAnswer = async (conversationId: string): Promise<Json> => {
    const conversation = await app.api(`/conversations/${conversationId}`, { token });
    return (conversation.json.messages as Json[]).find((message) => message.role === 'assistant');
  };
  /** Reads a live stream until it has sent `count` deltas, then drops the connection. */
  const readThenDrop = async (body: object, count: number): Promise<SseFrame[]> => {
    const controller = new AbortController();
    const response = await openChat(body, controller.signal);
    expect(response.status).toBe(200);
    const frames: SseFrame[] = [];
    try {
      for await (const frame of readFrames(response.body!)) {
        frames.push(frame);
        if (frames.filter((seen) => seen.event === 'delta').length === count) controller.abort();
      }
    } catch (error) {
      expect((error as Error).name).toBe('AbortError');
    }
    return frames;
  };

  it('numbers the frames of POST /chat 1, 2, 3... with meta first', async () => {
    model.play(replyWith('One', ' two', ' three'));
    const frames = await allFrames(await openChat({ message: 'Count with me' }));
    expect(frames.map((frame) => frame.event)).toEqual(['meta', 'delta', 'delta', 'delta', 'done']);
    expect(frames.map((frame) => frame.id)).toEqual([1, 2, 3, 4, 5]);
    expect(frames[0]!.data.answerMessageId).toBe(frames.at(-1)!.data.messageId);
  });

  it('gives a client that dropped after three deltas exactly the rest of the answer, live, from its Last-Event-ID', async () => {
    const gated = gatedScript(['Rome ', 'was ', 'not '], ['built ', 'in ', 'a ', 'day.']);
    model.play(gated.script);
    const before = await readThenDrop({ message: 'A proverb, please' }, 3);
    expect(before.map((frame) => frame.event)).toEqual(['meta', 'delta', 'delta', 'delta']);
    const { answerMessageId, conversationId } = before[0]!.data as { answerMessageId: string; conversationId: string };
    const lastId = before.at(-1)!.id!;

    // The model is still waiting: the resume follows the answer as it goes on.
    const resumed = await resume(answerMessageId, { lastEventId: String(lastId) });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    gated.release();
    const after = await allFrames(resumed);

    expect(after.at(-1)).toMatchObject({ event: 'done', data: { messageId: answerMessageId, stopReason: 'end_turn' } });
    expect(after.filter((frame) => frame.event === 'done')).toHaveLength(1);
    const ids = after.map((frame) => frame.id!);
    expect(ids[0]).toBeGreaterThan(lastId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // No event missing, none twice: what the client had and what it was sent make the stored answer.
    const stored = await storedAnswer(conversationId);
    expect(textOf(before) + textOf(after)).toBe(stored.content);
    expect(stored).toMatchObject({ content: 'Rome was not built in a day.', stopReason: 'end_turn' });
    expect(gated.seen.aborted).toBe(false);
  });

  it('resumes with ?after= too, and replays a finished answer at once, ids kept, deltas joined', async () => {
    model.play(replyWith('Alpha', ' beta', ' gamma', ' delta'));
    const live = await allFrames(await openChat({ message: 'The Greek letters' }));
    const answerMessageId = live[0]!.data.answerMessageId as string;

    const rest = await allFrames(await resume(answerMessageId, { query: '?after=2' }));
    expect(rest.at(-1)).toEqual(live.at(-1));
    expect(textOf(rest)).toBe(' beta gamma delta');
    expect(rest.filter((frame) => frame.event === 'delta').at(-1)!.id).toBe(5);

    const whole = await allFrames(await resume(answerMessageId));
    expect(whole[0]).toEqual(live[0]);
    expect(textOf(whole)).toBe(textOf(live));
    expect(whole.map((frame) => frame.event)).toEqual(['meta', 'delta', 'done']);

    // Last-Event-ID wins over ?after=, as a browser's EventSource sends it on its own reconnects.
    const fromHeader = await allFrames(await resume(answerMessageId, { lastEventId: '5', query: '?after=1' }));
    expect(fromHeader.map((frame) => frame.id)).toEqual([6]);
    expect(await allFrames(await resume(answerMessageId, { lastEventId: '6' }))).toEqual([]);
  });

  it("answers another user's stream, an unknown one and a bad Last-Event-ID before any stream", async () => {
    model.play(replyWith('Mine.'));
    const live = await allFrames(await openChat({ message: 'Private' }));
    const answerMessageId = live[0]!.data.answerMessageId as string;
    const asJson = async (response: Response) => ({ status: response.status, headers: response.headers, json: (await response.json()) as Json });

    expectError(await asJson(await resume(answerMessageId, { as: otherToken })), 404, 'STREAM_NOT_FOUND');
    expectError(await stop(answerMessageId, otherToken), 404, 'STREAM_NOT_FOUND');
    expectError(await asJson(await resume('no-such-answer')), 404, 'STREAM_NOT_FOUND');
    expectError(await asJson(await resume('not%20an%20id')), 404, 'STREAM_NOT_FOUND');
    for (const lastEventId of ['abc', '-1', '1.5', '1e3']) {
      expectError(await asJson(await resume(answerMessageId, { lastEventId })), 400, 'INVALID_LAST_EVENT_ID');
    }
    expectError(await asJson(await resume(answerMessageId, { query: '?after=x' })), 400, 'INVALID_LAST_EVENT_ID');
    expect((await fetch(`${app.url}/chat/streams/${answerMessageId}`)).status).toBe(401);
  });

  it('keeps answering a JSON client that went away, and stores the whole answer', async () => {
    const gated = gatedScript(['Half '], ['and the other half.']);
    model.play(gated.script);
    const controller = new AbortController();
    const pending = fetch(`${app.url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Gone in JSON' }),
      signal: controller.signal,
    }).catch((error: Error) => error.name);
    await eventually(async () => (gated.seen.waiting ? true : undefined), 2000, 'the model to wait');
    controller.abort();
    expect(await pending).toBe('AbortError');
    gated.release();

    const list = await app.api('/conversations?limit=100', { token });
    const conversationId = (list.json.items as Json[]).find((item) => item.title === 'Gone in JSON').conversationId as string;
    const stored = await eventually(async () => {
      const answer = await storedAnswer(conversationId);
      return answer?.stopReason ? answer : undefined;
    });
    expect(stored).toMatchObject({ content: 'Half and the other half.', stopReason: 'end_turn' });
    expect(gated.seen.aborted).toBe(false);
  });

  it('stops the model on Stop, keeps the part as aborted, and ends the live and resumed streams with ANSWER_STOPPED', async () => {
    const gated = gatedScript(['Once ', 'upon '], ['a time.']);
    model.play(gated.script);
    const response = await openChat({ message: 'A story that will be stopped' });
    const live = readFrames(response.body!);
    const frames: SseFrame[] = [];
    while (textOf(frames) !== 'Once upon ') frames.push((await live.next()).value as SseFrame);
    const { answerMessageId, conversationId } = frames[0]!.data as { answerMessageId: string; conversationId: string };

    const stopping = await stop(answerMessageId);
    expect(stopping.status).toBe(202);
    expect(stopping.json).toEqual({ status: 'stopping' });
    for await (const frame of live) frames.push(frame);

    const stopped = { code: 'ANSWER_STOPPED', message: 'The answer was stopped.', messageId: answerMessageId };
    expect(frames.at(-1)).toMatchObject({ event: 'error', data: stopped });
    expect(frames.map((frame) => frame.id)).toEqual(frames.map((_, index) => index + 1));
    expect(gated.seen.aborted).toBe(true);
    expect(await storedAnswer(conversationId)).toMatchObject({ content: 'Once upon ', stopReason: 'aborted' });

    const resumed = await allFrames(await resume(answerMessageId, { lastEventId: '1' }));
    expect(resumed.at(-1)).toEqual(frames.at(-1));
    expect(textOf(resumed)).toBe('Once upon ');
    // Ended: a second Stop says how.
    expect(await stop(answerMessageId)).toMatchObject({ status: 200, json: { status: 'stopped' } });
    expectError(await stop('no-such-answer'), 404, 'STREAM_NOT_FOUND');
  });

  it('tells a Stop of a finished answer that it was done', async () => {
    model.play(replyWith('Finished.'));
    const live = await allFrames(await openChat({ message: 'Quick one' }));
    expect(await stop(live[0]!.data.answerMessageId as string)).toMatchObject({ status: 200, json: { status: 'done' } });
  });
  it('serves a retried POST /chat (same Idempotency-Key) from the stored stream: a resume after its id 2 repeats no text', async () => {
    model.play(replyWith('Alpha', ' beta', ' gamma', ' delta'));
    const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Idempotency-Key': 'resume-replay-1' };
    const post = () => fetch(`${app.url}/chat`, { method: 'POST', headers, body: JSON.stringify({ message: 'Spell it out' }) });
    const original = await allFrames(await post());
    expect(textOf(original)).toBe('Alpha beta gamma delta');
    const messageId = original[0]!.data.answerMessageId as string;

    // The retry: the client drops after its first delta frame (id 2 when the replay was numbered
    // anew), then resumes from that frame's id.
    const replay = await allFrames(await post());
    expect(replay[0]).toMatchObject({ id: 1, event: 'meta' });
    const retried = replay.slice(0, replay.findIndex((frame) => frame.event === 'delta') + 1);
    const rest = await allFrames(await resume(messageId, { lastEventId: String(retried.at(-1)!.id) }));
    expect(textOf([...retried, ...rest])).toBe('Alpha beta gamma delta');
  });
});
