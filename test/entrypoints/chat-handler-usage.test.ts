import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entrypoints/config.js';
import { createChatStreamHandler, type ResponseStreamFactory } from '../../src/entrypoints/handlers/chat.js';
import type { ApiEvent } from '../../src/entrypoints/http/api-types.js';
import { servicesFromAllFamilies } from '../../src/entrypoints/modules/all-families.js';
import { chatEvent } from '../support/api-event.js';
import { ScriptedModel } from '../support/fakes.js';

/**
 * The chat handler's JSON answer (a client that does not ask for events) counts each answer under
 * the name people know its sender by, and refuses a spent budget with a Retry-After, as the
 * streamed answer does (test/http/usage.test.ts).
 */
describe('the chat handler’s JSON answer and spending control', () => {
  it('records the answer under the sender’s email, then answers 429 USAGE_LIMIT_REACHED with a Retry-After in seconds', async () => {
    const services = servicesFromAllFamilies(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT', USAGE_LIMIT_USD_PER_MONTH: '0.000001' }), {
      model: new ScriptedModel(),
    });
    const { idToken } = services.localIssuer!.issue('json-user');
    // What the handler starts its response with: the status and headers Lambda sends first.
    let prelude: Parameters<ResponseStreamFactory['from']>[1] | undefined;
    const handler = createChatStreamHandler(services, {
      from: (stream, started) => {
        prelude = started;
        return stream;
      },
    });
    const run = async (event: ApiEvent) => {
      const stream = new PassThrough();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      await handler(event, stream, undefined);
      return { statusCode: prelude?.statusCode, headers: prelude?.headers ?? {}, body: Buffer.concat(chunks).toString('utf8') };
    };

    const answered = await run(chatEvent(idToken, { message: 'hello' }, 'application/json'));
    expect(answered.statusCode, answered.body).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ message: { role: 'assistant' }, usage: { inputTokens: 10, outputTokens: 2 } });
    const report = await services.usage.monthReport(undefined, { limit: 10 });
    expect(report.items).toEqual([expect.objectContaining({ displayName: 'json-user@local.invalid', inputTokens: 10, outputTokens: 2 })]);

    const refused = await run(chatEvent(idToken, { message: 'again' }, 'application/json'));
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'USAGE_LIMIT_REACHED' } });
    expect(refused.headers['Retry-After']).toMatch(/^[1-9]\d*$/);
  });
});
