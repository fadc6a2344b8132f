import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoDbClient } from '../../src/adapters/aws/clients.js';
import { ensureTables } from '../../src/adapters/aws/ensure-resources.js';
import { DomainError } from '../../src/domain/errors.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { startEmbeddedStores, type EmbeddedStores } from '../../src/entrypoints/local/embedded-stores.js';
import { ScriptedModel, failAfter, hangAfter, replyWith } from '../support/fakes.js';
import { base64, startTestServer, type TestServer } from '../support/http-client.js';
import { SwitchableProxy } from '../support/switchable-proxy.js';

/**
 * The server on DynamoDB and S3 (dynalite and s3rver behind proxies the test can cut or slow) and
 * a model the test scripts: whatever fails, the user's acknowledged message is kept, a partial
 * answer is kept and marked, the client hears a clear error, nothing hangs, and the next request
 * works once the fault is gone.
 */
describe('faults', () => {
  let stores: EmbeddedStores;
  let dynamo: SwitchableProxy;
  let s3: SwitchableProxy;
  let server: TestServer;
  let token: string;
  const model = new ScriptedModel();
  /** Every request in this suite must end within this, fault or not. */
  const bounded = () => AbortSignal.timeout(30_000);

  beforeAll(async () => {
    stores = await startEmbeddedStores({ buckets: ['fault-uploads'] });
    dynamo = new SwitchableProxy(Number(new URL(stores.dynamoDbEndpoint).port), 100);
    s3 = new SwitchableProxy(Number(new URL(stores.s3Endpoint).port));
    const [dynamoUrl, s3Url] = await Promise.all([dynamo.start(), s3.start()]);
    await ensureTables(createDynamoDbClient({ region: 'eu-west-1', dynamoDbEndpoint: stores.dynamoDbEndpoint, credentials: EMBEDDED_CREDENTIALS }), {
      chatHistory: 'fault-history',
      fileMetadata: 'fault-files',
      usage: 'fault-usage',
    });
    // STORE=aws reads credentials the SDK's way, from the environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', EMBEDDED_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', EMBEDDED_CREDENTIALS.secretAccessKey);
    server = await startTestServer({
      env: {
        STORE: 'aws',
        AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
        AWS_ENDPOINT_URL_S3: s3Url,
        CHAT_HISTORY_TABLE: 'fault-history',
        FILE_METADATA_TABLE: 'fault-files',
        USAGE_TABLE: 'fault-usage',
        UPLOAD_BUCKET: 'fault-uploads',
        MODEL_IDLE_TIMEOUT_MS: '1500',
      },
      overrides: { model },
    });
    token = await server.signIn('unlucky');
  }, 60_000);
  afterEach(() => {
    dynamo.set('pass');
    s3.set('pass');
    model.play(replyWith('Hello', ' again'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
    await Promise.all([dynamo.stop(), s3.stop()]);
    await stores.close();
  });

  const messagesOf = async (conversationId: string) =>
    ((await server.api(`/conversations/${conversationId}`, { token })).json.messages ?? []) as Array<{ role: string; content: string; stopReason?: string }>;

  it('DynamoDB down: a clear 503, no hang; back up: the next chat works', async () => {
    dynamo.set('refuse');
    const refused = await server.chatStream(token, { message: 'Are you there?' }, { signal: bounded() });
    expect(refused.status).toBe(503);
    expect(refused.json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) });
    expect((await server.api('/conversations', { token })).status).toBe(503);

    dynamo.set('pass');
    const chat = await server.chatStream(token, { message: 'And now?' }, { signal: bounded() });
    expect(chat.events.at(-1)?.event).toBe('done');
  });

  it('DynamoDB slow: every request still completes, nothing is lost', async () => {
    dynamo.set('slow');
    const chat = await server.chatStream(token, { message: 'Slowly, please' }, { signal: bounded() });
    expect(chat.events.at(-1)?.event).toBe('done');
    dynamo.set('pass');
    const conversationId = chat.events[0]!.data.conversationId as string;
    expect((await messagesOf(conversationId)).map((message) => message.content)).toEqual(['Slowly, please', 'Hello again']);
  });

  it('DynamoDB gone after the question was stored: the client hears it, the question is kept', async () => {
    model.play(async function* () {
      yield { type: 'text', text: 'Part of an answer' };
      dynamo.set('refuse'); // the store goes away before the answer can be saved
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 4 } };
    });
    const chat = await server.chatStream(token, { message: 'Keep my question' }, { signal: bounded() });
    expect(chat.events.map((event) => event.event)).toEqual(['meta', 'delta', 'error']);
    expect(chat.events.at(-1)?.data).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    dynamo.set('pass');
    const messages = await messagesOf(chat.events[0]!.data.conversationId as string);
    expect(messages[0]).toMatchObject({ role: 'user', content: 'Keep my question' });
  });

  it('S3 down during an upload: a clear 503, the file is not half there; back up: the upload works', async () => {
    s3.set('refuse');
    const failed = await server.api('/files', { method: 'POST', token, body: { fileName: 'notes.txt', contentType: 'text/plain', data: base64('some notes') } });
    expect(failed.status).toBe(503);
    expect(failed.json.error.code).toBe('SERVICE_UNAVAILABLE');
    s3.set('pass');
    expect((await server.api('/files', { token })).json.items.filter((file: { fileName: string }) => file.fileName === 'notes.txt')).toEqual([]);
    const stored = await server.api('/files', { method: 'POST', token, body: { fileName: 'notes.txt', contentType: 'text/plain', data: base64('some notes') } });
    expect(stored.status).toBe(201);
  });

  it('a model that hangs is ended by the idle limit: partial answer kept, MODEL_TIMEOUT sent', async () => {
    model.play(hangAfter('I was saying'));
    const chat = await server.chatStream(token, { message: 'Tell me' }, { signal: bounded() });
    expect(chat.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'MODEL_TIMEOUT' } });
    const messages = await messagesOf(chat.events[0]!.data.conversationId as string);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: 'I was saying', stopReason: 'aborted' });
    const json = await server.api('/chat', { method: 'POST', token, body: { message: 'Once more, in JSON' } });
    expect(json.status).toBe(504);
    expect(json.json.error.code).toBe('MODEL_TIMEOUT');
  });

  it('a model throttled before answering, or failing mid-answer: clear errors, question and partial kept', async () => {
    model.play(failAfter(new DomainError('throttled', 'MODEL_THROTTLED', 'The model is busy. Try again in a minute.')));
    const throttled = await server.chatStream(token, { message: 'Busy?' }, { signal: bounded() });
    expect(throttled.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'MODEL_THROTTLED' } });
    expect((await messagesOf(throttled.events[0]!.data.conversationId as string))[0]).toMatchObject({ content: 'Busy?' });

    model.play(failAfter(new Error('connection reset by the model'), 'Half an'));
    const broken = await server.chatStream(token, { message: 'Go on' }, { signal: bounded() });
    expect(broken.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'MODEL_FAILED' } });
    expect((await messagesOf(broken.events[0]!.data.conversationId as string)).at(-1)).toMatchObject({ content: 'Half an', stopReason: 'error' });

    model.play(replyWith('Fine', ' now'));
    expect((await server.chatStream(token, { message: 'Better?' }, { signal: bounded() })).events.at(-1)?.event).toBe('done');
  });
});
