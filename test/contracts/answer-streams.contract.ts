import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStreams, StreamedEvent } from '../../src/domain/ports/answer-streams.js';
import type { ConversationStore } from '../../src/domain/ports/conversation-store.js';

/**
 * `elsewhere` is another AnswerStreams on the same storage, as another instance of the function
 * holds it (for the in-memory adapter, the same one: a process shares its memory). `history` is
 * the conversation store the deployment pairs with it: where the two share a table, streams stay
 * invisible to it.
 */
export type MakeAnswerStreams = () => Promise<{ streams: AnswerStreams; elsewhere: AnswerStreams; history: ConversationStore }>;

const delta = (id: number, text = `word ${id} `): StreamedEvent => ({ id, event: 'delta', data: { text } });
const deltas = (from: number, to: number): StreamedEvent[] => Array.from({ length: to - from + 1 }, (_, i) => delta(from + i));
const ids = (events: StreamedEvent[]) => events.map((event) => event.id);

/**
 * What every AnswerStreams must do, through the port only. Each test uses fresh user and message
 * ids, so adapters may share one table between tests.
 */
export function answerStreamsContract(name: string, make: MakeAnswerStreams): void {
  describe(`AnswerStreams contract: ${name}`, () => {
    let streams: AnswerStreams;
    let elsewhere: AnswerStreams;
    let history: ConversationStore;
    let alice: string;
    let bob: string;
    let answer: string;

    beforeEach(async () => {
      ({ streams, elsewhere, history } = await make());
      alice = `alice-${randomUUID()}`;
      bob = `bob-${randomUUID()}`;
      answer = randomUUID();
    });

    it('opens a stream once, empty and streaming; a second open changes nothing', async () => {
      expect(await streams.read(alice, answer, 0)).toBeUndefined();
      expect(await streams.open(alice, answer)).toBe(true);
      expect(await streams.read(alice, answer, 0)).toEqual({ head: { status: 'streaming', lastId: 0, stopRequested: false, updatedAt: expect.any(Number) }, events: [] });
      await streams.append(alice, answer, deltas(1, 2));
      expect(await streams.open(alice, answer)).toBe(false);
      expect(await streams.read(alice, answer, 0)).toEqual({ head: { status: 'streaming', lastId: 2, stopRequested: false, updatedAt: expect.any(Number) }, events: deltas(1, 2) });
    });

    it('gives back the events as they were appended, data and all, and those after any id', async () => {
      const meta: StreamedEvent = { id: 1, event: 'meta', data: { conversationId: 'c1', userMessageId: 'u1', answerMessageId: answer, title: 'Trip' } };
      const tricky: StreamedEvent = { id: 2, event: 'delta', data: { text: 'line\n\nevent: done\r\n é😀 "quoted" ' } };
      const empty: StreamedEvent = { id: 3, event: 'delta', data: { text: '' } };
      const done: StreamedEvent = {
        id: 4,
        event: 'done',
        data: { messageId: answer, stopReason: 'end_turn', usage: { inputTokens: 12, outputTokens: 3 }, context: { truncatedFileIds: [], includedMessages: 0 } },
      };
      await streams.open(alice, answer);
      await streams.append(alice, answer, [meta, tricky]);
      await streams.append(alice, answer, [empty, done], 'done');
      expect(await streams.read(alice, answer, 0)).toEqual({ head: { status: 'done', lastId: 4, stopRequested: false, updatedAt: expect.any(Number) }, events: [meta, tricky, empty, done] });
      expect((await streams.read(alice, answer, 2))!.events).toEqual([empty, done]);
      expect((await streams.read(alice, answer, 4))!.events).toEqual([]);
      expect((await streams.read(alice, answer, 99))!.events).toEqual([]);
    });

    it('reads exactly the events after n from a long stream, whatever the sizes of the batches it was written in', async () => {
      await streams.open(alice, answer);
      // Batches of one, a few, and far more than a flush holds: the adapter may split them.
      for (const [from, to] of [[1, 1], [2, 5], [6, 85], [86, 86], [87, 120]] as const) await streams.append(alice, answer, deltas(from, to));
      await streams.append(alice, answer, [{ id: 121, event: 'done', data: { messageId: answer } }], 'done');
      const all = Array.from({ length: 121 }, (_, i) => i + 1);
      for (const after of [0, 1, 4, 5, 6, 31, 32, 33, 37, 63, 64, 84, 85, 86, 100, 119, 120, 121]) {
        expect(ids((await streams.read(alice, answer, after))!.events), `after ${after}`).toEqual(all.filter((id) => id > after));
      }
    });

    it('keeps a batch of large events whole, though it is more than one stored item can hold', async () => {
      await streams.open(alice, answer);
      // 32 deltas of 30,000 characters, some not ASCII: about 1 MB, where an item holds 400 KB.
      const large = Array.from({ length: 32 }, (_, i) => delta(i + 1, `${i} ${'é'.repeat(15_000)}`));
      await streams.append(alice, answer, large, 'done');
      const read = await streams.read(alice, answer, 0);
      expect(read?.head).toMatchObject({ status: 'done', lastId: 32 });
      expect(read?.events).toEqual(large);
      expect(ids((await streams.read(alice, answer, 20))!.events)).toEqual(ids(large).filter((id) => id > 20));
    });

    it('stores events appended twice (a retried write) once', async () => {
      await streams.open(alice, answer);
      await streams.append(alice, answer, deltas(1, 3));
      await streams.append(alice, answer, deltas(1, 3));
      await streams.append(alice, answer, deltas(1, 5));
      expect(await streams.read(alice, answer, 0)).toEqual({ head: { status: 'streaming', lastId: 5, stopRequested: false, updatedAt: expect.any(Number) }, events: deltas(1, 5) });
    });

    it('ends a stream with its status, with or without last events', async () => {
      await streams.open(alice, answer);
      await streams.append(alice, answer, deltas(1, 2));
      await streams.append(alice, answer, [], 'stopped');
      expect((await streams.read(alice, answer, 0))!.head).toMatchObject({ status: 'stopped', lastId: 2, stopRequested: false });
    });

    it('refuses events for a stream that was never opened', async () => {
      await expect(streams.append(alice, answer, deltas(1, 1))).rejects.toThrow();
      expect(await streams.read(alice, answer, 0)).toBeUndefined();
    });

    it("keeps each user's streams apart, even under the same id", async () => {
      await streams.open(alice, answer);
      await streams.append(alice, answer, deltas(1, 2));
      expect(await streams.read(bob, answer, 0)).toBeUndefined();
      expect(await streams.requestStop(bob, answer)).toBeUndefined();
      expect(await streams.open(bob, answer)).toBe(true);
      await streams.append(bob, answer, [delta(1, 'bob')], 'done');
      expect((await streams.read(alice, answer, 0))!).toEqual({ head: { status: 'streaming', lastId: 2, stopRequested: false, updatedAt: expect.any(Number) }, events: deltas(1, 2) });
      expect((await streams.read(bob, answer, 0))!.events).toEqual([delta(1, 'bob')]);
    });

    it('passes a Stop asked through another instance to the writer at its next append', async () => {
      await streams.open(alice, answer);
      expect(await streams.append(alice, answer, deltas(1, 3))).toEqual({ stopRequested: false });
      expect(await elsewhere.requestStop(alice, answer)).toBe('streaming');
      expect((await elsewhere.read(alice, answer, 0))!.head.stopRequested).toBe(true);
      expect(await streams.append(alice, answer, deltas(4, 4))).toEqual({ stopRequested: true });
      await streams.append(alice, answer, [{ id: 5, event: 'error', data: { code: 'ANSWER_STOPPED' } }], 'stopped');
      expect(await elsewhere.requestStop(alice, answer)).toBe('stopped');
    });

    it('tells a Stop of an ended stream how it ended, and changes nothing', async () => {
      await streams.open(alice, answer);
      await streams.append(alice, answer, deltas(1, 2), 'done');
      expect(await streams.requestStop(alice, answer)).toBe('done');
      expect((await streams.read(alice, answer, 0))!.head).toMatchObject({ status: 'done', lastId: 2, stopRequested: false });
      expect(await streams.requestStop(alice, randomUUID())).toBeUndefined();
    });

    it('hands back copies: changing what a read returned changes nothing stored', async () => {
      await streams.open(alice, answer);
      await streams.append(alice, answer, [delta(1, 'kept')]);
      const read = (await streams.read(alice, answer, 0))!;
      (read.events[0]!.data as { text: string }).text = 'changed';
      read.head.lastId = 7;
      expect(await streams.read(alice, answer, 0)).toEqual({ head: { status: 'streaming', lastId: 1, stopRequested: false, updatedAt: expect.any(Number) }, events: [delta(1, 'kept')] });
    });

    it('is not a conversation: the history neither lists it nor takes it away with a delete', async () => {
      const at = '2026-02-01T09:00:00.000Z';
      await history.create(alice, { conversationId: 'c1', title: 'Trip', createdAt: at, updatedAt: at, fileIds: [] });
      await streams.open(alice, answer);
      await streams.append(alice, answer, deltas(1, 40), 'done');
      expect((await history.list(alice, { limit: 10 })).items.map((item) => item.conversationId)).toEqual(['c1']);
      expect(await history.delete(alice, 'c1')).toBe(true);
      expect((await history.list(alice, { limit: 10 })).items).toEqual([]);
      expect(ids((await streams.read(alice, answer, 0))!.events)).toHaveLength(40);
    });
  });
}
