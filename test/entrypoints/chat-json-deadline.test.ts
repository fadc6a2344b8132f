import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entrypoints/config.js';
import { createChatStreamHandler, type ResponseStreamFactory } from '../../src/entrypoints/handlers/chat.js';
import { servicesFromAllFamilies } from '../../src/entrypoints/modules/all-families.js';
import { chatEvent } from '../support/api-event.js';
import { ScriptedModel, hangAfter } from '../support/fakes.js';

/**
 * The chat handler's JSON answer (a client that does not ask for events) when the Lambda's time
 * runs out: it ends the way the streamed answer does (chat-stream-handler.test.ts), with the
 * deadline's own error rather than a model failure, and the words that arrived are stored.
 */
describe('the chat handler’s JSON answer on Lambda', () => {
  it('answers 504 ANSWER_TIMEOUT before the function times out, and keeps the partial answer', async () => {
    const services = servicesFromAllFamilies(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT' }), {
      model: new ScriptedModel(hangAfter('Once upon', ' a time')),
    });
    const { idToken } = services.localIssuer!.issue('json-deadline-user');
    let prelude: Parameters<ResponseStreamFactory['from']>[1] | undefined;
    const handler = createChatStreamHandler(services, {
      from: (stream, started) => {
        prelude = started;
        return stream;
      },
    });
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));

    // 300 ms past the time the handler keeps back to store the partial answer (answer-limits.ts).
    const context = { awsRequestId: 'req-json-deadline', getRemainingTimeInMillis: () => 3000 + 300 };
    await handler(chatEvent(idToken, { message: 'Tell me a long story' }, 'application/json'), stream, context);

    const body = Buffer.concat(chunks).toString('utf8');
    expect(prelude?.statusCode, body).toBe(504);
    expect(prelude?.headers?.['Content-Type']).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'ANSWER_TIMEOUT', message: expect.stringContaining('kept') } });

    const { userId } = await services.verifier.verify(idToken);
    const { items } = await services.conversations.list(userId, { limit: 10 });
    expect(items).toHaveLength(1);
    const stored = await services.conversations.get(userId, items[0]!.conversationId);
    expect(stored.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: 'user', content: 'Tell me a long story' },
      { role: 'assistant', content: 'Once upon a time' },
    ]);
    expect(stored.messages.at(-1)).toMatchObject({ stopReason: 'aborted' });
  });
});
