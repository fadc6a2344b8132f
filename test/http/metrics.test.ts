import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmfChatMetrics, NO_CHAT_METRICS, chatMetrics } from '../../src/entrypoints/http/chat-metrics.js';
import { DomainError } from '../../src/domain/errors.js';
import { ScriptedModel, failAfter, replyWith } from '../support/fakes.js';
import { startTestServer, type TestServer } from '../support/http-client.js';

interface Emf {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string; Unit: string }> }> };
  [metric: string]: unknown;
}

/** Tokens, latency and errors leave as CloudWatch EMF lines (what the stack's alarms read). */
describe('chat metrics', () => {
  const lines: string[] = [];
  const model = new ScriptedModel(replyWith('Hello', ' world'));
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    server = await startTestServer({ overrides: { model } });
    token = await server.signIn('metered');
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await server.close();
  });

  const emfLines = () =>
    lines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf);

  it('records tokens in and out and latency for each answer', async () => {
    const stream = await server.chatStream(token, { message: 'count me' });
    expect(stream.events.at(-1)?.event).toBe('done');
    const emf = emfLines().at(-1)!;
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('ClaudeServerlessChat');
    // The dimension the stack's token budget alarm names.
    expect(emf).toMatchObject({ service: 'claude-serverless-chat' });
    expect(emf).toMatchObject({ InputTokens: 10, OutputTokens: 2, ChatAnswers: 1 });
    expect(emf.ChatLatency).toEqual(expect.any(Number));
    expect(emf.ModelFirstTokenLatency).toEqual(expect.any(Number));
  });

  it('counts a model failure as an error, streamed or not', async () => {
    model.play(failAfter(new DomainError('throttled', 'MODEL_THROTTLED', 'busy')));
    await server.chatStream(token, { message: 'fail me' });
    expect(emfLines().at(-1)).toMatchObject({ ChatErrors: 1 });
    const json = await server.api('/chat', { method: 'POST', token, body: { message: 'fail me too' } });
    expect(json.status).toBe(429);
    expect(emfLines().at(-1)).toMatchObject({ ChatErrors: 1 });
    expect(emfLines().filter((emf) => emf.ChatErrors === 1)).toHaveLength(2);
  });
});

describe('chat metrics switched off', () => {
  it('builds no Powertools Metrics and records nothing when POWERTOOLS_METRICS_DISABLED is true, as Powertools reads it', () => {
    const create = vi.fn(() => new Metrics({ namespace: 'Test' }));
    for (const value of ['true', 'TRUE', '1']) expect(chatMetrics({ POWERTOOLS_METRICS_DISABLED: value }, create)).toBe(NO_CHAT_METRICS);
    expect(chatMetrics({ POWERTOOLS_DEV: 'true' }, create)).toBe(NO_CHAT_METRICS);
    expect(create).not.toHaveBeenCalled();
    expect(chatMetrics({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'true' }, create)).toBeInstanceOf(EmfChatMetrics);
    expect(chatMetrics({}, create)).toBeInstanceOf(EmfChatMetrics);
  });
});
