import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AppServices } from '../../src/entrypoints/container.js';
import { servicesFromAllFamilies } from '../../src/entrypoints/modules/all-families.js';
import { loadConfig } from '../../src/entrypoints/config.js';
import { createChatStreamHandler, type ResponseStreamFactory } from '../../src/entrypoints/handlers/chat.js';
import type { ApiEvent, LambdaContext } from '../../src/entrypoints/http/api-types.js';
import { chatEvent } from '../support/api-event.js';
import { ScriptedModel, hangAfter } from '../support/fakes.js';

/**
 * The streaming chat handler as Lambda calls it, with a Lambda context: what a client receives
 * when the function's time runs out, and while the model is silent.
 */
const passThroughStreams: ResponseStreamFactory = { from: (stream) => stream };

function setUp(model: ScriptedModel): { services: AppServices; event: ApiEvent } {
  const services = servicesFromAllFamilies(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT' }), { model });
  const { idToken } = services.localIssuer!.issue('lambda-user');
  const event = chatEvent(idToken, { message: 'Tell me a long story' });
  return { services, event };
}

const contextWithRemaining = (ms: number) => ({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => ms });

async function run(handler: ReturnType<typeof createChatStreamHandler>, event: ApiEvent, context?: LambdaContext) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  await handler(event, stream, context);
  return chunks.join('');
}

describe('the streaming chat handler on Lambda', () => {
  it('ends with an ANSWER_TIMEOUT error event before the function times out, and keeps the partial answer', async () => {
    const model = new ScriptedModel(hangAfter('Once upon', ' a time'));
    const { services, event } = setUp(model);
    const body = await run(createChatStreamHandler(services, passThroughStreams), event, contextWithRemaining(3000 + 300));

    expect(body).toContain('event: delta\ndata: {"text":"Once upon"}');
    const last = body.trim().split('\n\n').at(-1)!;
    expect(last).toMatch(/^id: \d+\nevent: error\ndata: .*"code":"ANSWER_TIMEOUT"/);

    const meta = JSON.parse(/^event: meta\ndata: (.*)$/m.exec(body)![1]!) as { conversationId: string };
    const userId = (await services.verifier.verify(event.headers.Authorization!.slice('Bearer '.length))).userId;
    const stored = await services.conversations.get(userId, meta.conversationId);
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Once upon a time', stopReason: 'aborted' });
  });

  it('sends keep-alive comments while the model is silent', async () => {
    const model = new ScriptedModel(async function* (_request, signal) {
      await new Promise((resolve) => setTimeout(resolve, 400, undefined));
      if (!signal.aborted) yield { type: 'text', text: 'Finally.' };
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 1 } };
    });
    const { services, event } = setUp(model);
    const body = await run(createChatStreamHandler(services, passThroughStreams, { keepAliveMs: 90 }), event);

    const frames = body.trim().split('\n\n');
    expect(frames[0]).toMatch(/^id: 1\nevent: meta/);
    const silence = frames.slice(1, frames.findIndex((frame) => frame.startsWith('id: 2\nevent: delta')));
    expect(silence.length).toBeGreaterThanOrEqual(2);
    expect(silence.every((frame) => frame === ': keep-alive')).toBe(true);
    expect(frames.at(-1)).toMatch(/^id: 3\nevent: done/);
  });
});
