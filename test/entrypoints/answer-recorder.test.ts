import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbAnswerStreams } from '../../src/adapters/answer-streams/dynamodb-answer-streams.js';
import { createDynamoDbClient } from '../../src/adapters/aws/clients.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { AnswerRecorder } from '../../src/entrypoints/chat/answer-recorder.js';
import { LiveAnswers } from '../../src/entrypoints/chat/live-answers.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import type { WireEvent } from '../../src/entrypoints/http/sse.js';
import { eventually } from '../support/http-client.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';

/**
 * The recorder of an answer's events on DynamoDB (dynalite), as two instances of the chat function
 * share it: a Stop asked on one reaches the answer written on the other, and a store that fails
 * never breaks the answer it records.
 */
describe('recording an answer’s stream', () => {
  let aws: EmbeddedAws;
  let table: string;
  const logger = new Logger({ logLevel: 'SILENT' });
  const clock = new SystemClock();
  const meta = (answerMessageId: string): WireEvent => ({ event: 'meta', data: { conversationId: 'c1', userMessageId: 'u1', answerMessageId, title: 'T' } });
  const delta = (text: string): WireEvent => ({ event: 'delta', data: { text } });

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    table = (await aws.newTables()).chatHistory;
  });
  afterAll(() => aws.close());

  /** Another instance of the function: its own client, its own process memory. */
  const instance = () => {
    const db = createDynamoDbClient({ region: 'eu-west-1', dynamoDbEndpoint: aws.stores.dynamoDbEndpoint, credentials: EMBEDDED_CREDENTIALS });
    return { streams: new DynamoDbAnswerStreams(db, table, clock), live: new LiveAnswers(), logger };
  };

  it('numbers the events, writes them in batches and ends the stream with how the answer ended', async () => {
    const writer = instance();
    const recorder = new AnswerRecorder(writer, 'alice', () => undefined, 'req-1');
    const ids = [recorder.record(meta('a1'))];
    await recorder.opened();
    for (let n = 0; n < 100; n++) ids.push(recorder.record(delta(`${n} `)));
    ids.push(recorder.record({ event: 'done', data: { messageId: 'a1', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 100 }, context: { estimatedInputTokens: 1, contextWindowTokens: 10, maxOutputTokens: 10, includedMessages: 0, droppedMessages: 0, truncatedFileIds: [] } } }));
    await recorder.finish();
    expect(ids).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    const stored = (await instance().streams.read('alice', 'a1', 0))!;
    expect(stored.head).toMatchObject({ status: 'done', lastId: 102, stopRequested: false });
    expect(stored.events.map((event) => event.id)).toEqual(ids);
    expect(stored.events.slice(1, -1).map((event) => (event.data as { text: string }).text).join('')).toBe(Array.from({ length: 100 }, (_, n) => `${n} `).join(''));
  });

  it('stops the answer written on one instance when the Stop is asked on another, at its next write', async () => {
    const writer = instance();
    const stop = vi.fn();
    const recorder = new AnswerRecorder(writer, 'alice', stop, 'req-2');
    recorder.record(meta('a2'));
    await recorder.opened();
    recorder.record(delta('Once '));

    const elsewhere = instance();
    // Not this process's answer: the other instance can only leave the request in the store.
    expect(elsewhere.live.stop('alice', 'a2')).toBe(false);
    expect(await elsewhere.streams.requestStop('alice', 'a2')).toBe('streaming');
    // Learned at the writer's next write: after its next events, or its check while the model is silent.
    await eventually(async () => (stop.mock.calls.length > 0 ? true : undefined), 3000, 'the writer learning of the Stop');

    recorder.record({ event: 'error', data: { code: 'ANSWER_STOPPED', message: 'The answer was stopped.', messageId: 'a2' } });
    await recorder.finish();
    expect(await elsewhere.streams.requestStop('alice', 'a2')).toBe('stopped');
  });

  it('stops an answer at once when the Stop reaches the process that writes it', async () => {
    const writer = instance();
    const stop = vi.fn();
    const recorder = new AnswerRecorder(writer, 'alice', stop, 'req-3');
    recorder.record(meta('a3'));
    expect(writer.live.stop('alice', 'a3')).toBe(true);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(writer.live.stop('bob', 'a3')).toBe(false);
    await recorder.finish();
    // Forgotten once finished.
    expect(writer.live.stop('alice', 'a3')).toBe(false);
  });

  it('leaves the recording of an answer replayed by a retry as the first request wrote it', async () => {
    const first = new AnswerRecorder(instance(), 'alice', () => undefined, 'req-4');
    first.record(meta('a4'));
    first.record(delta('The original.'));
    first.record({ event: 'error', data: { code: 'MODEL_FAILED', message: 'Broke.', messageId: 'a4' } });
    await first.finish();

    const replay = new AnswerRecorder(instance(), 'alice', () => undefined, 'req-5');
    replay.record(meta('a4'));
    replay.record(delta('The original.'));
    replay.record({ event: 'done', data: { messageId: 'a4', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, context: { estimatedInputTokens: 1, contextWindowTokens: 10, maxOutputTokens: 10, includedMessages: 0, droppedMessages: 0, truncatedFileIds: [] } } });
    await replay.finish();
    const stored = (await instance().streams.read('alice', 'a4', 0))!;
    expect(stored.head.status).toBe('error');
    expect(stored.events.map((event) => event.event)).toEqual(['meta', 'delta', 'error']);
  });

  it('goes on numbering, and finishes, when the store cannot be reached: the failure is logged, the answer unharmed', async () => {
    const unreachable = createDynamoDbClient({ region: 'eu-west-1', dynamoDbEndpoint: 'http://127.0.0.1:9', credentials: EMBEDDED_CREDENTIALS });
    const failing = { streams: new DynamoDbAnswerStreams(unreachable, table, clock), live: new LiveAnswers(), logger: new Logger({ logLevel: 'SILENT' }) };
    const logged = vi.spyOn(failing.logger, 'error');
    const recorder = new AnswerRecorder(failing, 'alice', () => undefined, 'req-6');
    expect(recorder.record(meta('a6'))).toBe(1);
    await recorder.opened();
    expect([recorder.record(delta('still ')), recorder.record(delta('here'))]).toEqual([2, 3]);
    await recorder.finish();
    expect(logged).toHaveBeenCalledWith('answer stream not recorded', expect.objectContaining({ messageId: 'a6', requestId: 'req-6' }));
    unreachable.destroy();
  });
  it('tries again the write that ends the stream when it fails: the stream ends with its last events', async () => {
    const writer = instance();
    let failOnce = true;
    const flaky = Object.create(writer.streams) as typeof writer.streams;
    flaky.append = (userId, messageId, events, ending) => {
      if (ending && failOnce) {
        failOnce = false;
        return Promise.reject(new Error('throttled'));
      }
      return writer.streams.append(userId, messageId, events, ending);
    };
    const recorder = new AnswerRecorder({ ...writer, streams: flaky }, 'alice', () => undefined, 'req-ending');
    recorder.record(meta('a-ending'));
    await recorder.opened();
    recorder.record(delta('last words'));
    recorder.record({ event: 'error', data: { code: 'MODEL_FAILED', message: 'The model failed.', messageId: 'a-ending' } });
    await recorder.finish();
    const stored = (await instance().streams.read('alice', 'a-ending', 0))!;
    expect(stored.head).toMatchObject({ status: 'error', lastId: 3 });
    expect(stored.events.map((event) => event.event)).toEqual(['meta', 'delta', 'error']);
  });
});
