import { describe, expect, it } from 'vitest';
import { buildServices } from '../../src/entrypoints/container.js';
import { loadConfig } from '../../src/entrypoints/config.js';
import { createChatHandler } from '../../src/entrypoints/handlers/chat.js';
import { chatEvent } from '../support/api-event.js';
import { ScriptedModel } from '../support/fakes.js';

/**
 * The buffered chat handler (the Lambda behind an API that does not stream) counts each answer
 * under the name people know its sender by, and refuses a spent budget with a Retry-After, as the
 * streamed handler does (test/http/usage.test.ts).
 */
describe('the buffered chat handler and spending control', () => {
  it('records the answer under the sender’s email, then answers 429 USAGE_LIMIT_REACHED with a Retry-After in seconds', async () => {
    const services = buildServices(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT', USAGE_LIMIT_USD_PER_MONTH: '0.000001' }), {
      model: new ScriptedModel(),
    });
    const handler = createChatHandler(services);
    const { idToken } = services.localIssuer!.issue('buffered-user');

    const answered = await handler(chatEvent(idToken, { message: 'hello' }, 'application/json'));
    expect(answered.statusCode, answered.body).toBe(200);
    const report = await services.usage.monthReport(undefined, { limit: 10 });
    expect(report.items).toEqual([expect.objectContaining({ displayName: 'buffered-user@local.invalid', inputTokens: 10, outputTokens: 2 })]);

    const refused = await handler(chatEvent(idToken, { message: 'again' }, 'application/json'));
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'USAGE_LIMIT_REACHED' } });
    expect(String(refused.headers?.['Retry-After'])).toMatch(/^[1-9]\d*$/);
  });
});
