import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import * as wire from '../../src/contract/index.js';
import type { ChatEvent } from '../../src/domain/chat-types.js';
import type { ConversationService } from '../../src/domain/conversation-service.js';
import { DomainError } from '../../src/domain/errors.js';
import type { FileType } from '../../src/domain/file-context.js';
import type { FileService } from '../../src/domain/file-service.js';
import type { UsageService } from '../../src/domain/usage-service.js';
import { failAfter, replyWith, ScriptedModel } from '../support/fakes.js';
import { startTestServer, type SseEvent, type TestServer } from '../support/http-client.js';

/** What a service method resolves to. */
type Resolved<Method extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Method>>;

/**
 * The server's answers, route by route, read back through the contract's schemas (strict: a field
 * the contract does not describe fails too). The SPA compiles against the same schemas' types, so
 * a change on one side that the other does not know of fails here rather than in a browser.
 */
describe('the wire contract, against the running server', () => {
  let app: TestServer;
  let token: string;
  let adminToken: string;
  const model = new ScriptedModel(replyWith('Day one:', ' the old town.'));
  const titleModel = new ScriptedModel(replyWith('Weekend in Lyon'));

  beforeAll(async () => {
    app = await startTestServer({ env: { LOCAL_ADMINS: 'contract-admin' }, overrides: { model, titleModel } });
    token = await app.signIn('contract-user');
    adminToken = await app.signIn('contract-admin');
  });
  afterAll(() => app.close());

  /** The body, parsed by `schema`; every issue, with its path, in the failure. */
  function conforms<Schema extends z.ZodType>(schema: Schema, body: unknown, what: string): z.output<Schema> {
    const result = schema.safeParse(body);
    const issues = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    expect(issues, `${what}: ${JSON.stringify(body)}`).toEqual([]);
    return result.data as z.output<Schema>;
  }

  /** Each event's data by its name: exactly the events the contract names, each with its data. */
  function streamConforms(events: SseEvent[]): void {
    for (const { event, data } of events) {
      expect(Object.keys(wire.chatEventData), `event ${event}`).toContain(event);
      conforms(wire.chatEventData[event as wire.ChatEventName], data, `event: ${event}`);
    }
  }

  it('serves /config.json, /health and local sign-in as described', async () => {
    const config = conforms(wire.siteConfig, (await app.api('/config.json')).json, 'GET /config.json');
    // The server's own limit and list: what the SPA sends inline, and what its picker offers.
    expect(config.files).toEqual({ maxInlineBytes: 4 * 1024 * 1024, extensions: wire.EXTENSIONS_BY_FILE_TYPE });
    conforms(wire.health, (await app.api('/health')).json, 'GET /health');
    conforms(wire.localToken, (await app.api('/local-auth/token', { method: 'POST', body: { username: 'Ada' } })).json, 'POST /local-auth/token');
  });

  it('streams a new conversation’s answer in events of the contract, ending with its title', async () => {
    const stream = await app.chatStream(token, { message: 'Plan a weekend in Lyon' });
    expect(stream.status).toBe(200);
    expect(stream.events.map((event) => event.event)).toEqual(['meta', 'delta', 'delta', 'done', 'title']);
    streamConforms(stream.events);
  });

  it('ends a stream that fails part way with an error event of the contract', async () => {
    model.play(failAfter(new DomainError('model_failed', 'MODEL_FAILED', 'The model stopped answering.'), 'Half an'));
    try {
      const stream = await app.chatStream(token, { message: 'And the food?' });
      expect(stream.events.at(-1)?.event).toBe('error');
      streamConforms(stream.events);
    } finally {
      model.play(replyWith('Day one:', ' the old town.'));
    }
  });

  it('resumes and stops an answer’s stream as described', async () => {
    const stream = await app.chatStream(token, { message: 'And on Sunday?' });
    const answerMessageId = (stream.events[0]!.data as wire.ChatEventData<'meta'>).answerMessageId;
    const resumed = await fetch(`${app.url}/chat/streams/${answerMessageId}`, { headers: { Authorization: `Bearer ${token}`, 'Last-Event-ID': '1' } });
    expect(resumed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await resumed.text();
    const events = text
      .split('\n\n')
      .filter((frame) => frame.includes('data: '))
      .map((frame) => ({ event: /^event: (.*)$/m.exec(frame)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as unknown }));
    // A new conversation's: its title too, stored before the stream ended.
    expect(events.map((event) => event.event)).toEqual(['delta', 'done', 'title']);
    streamConforms(events);
    const stop = await app.api(`/chat/streams/${answerMessageId}/stop`, { method: 'POST', token });
    expect(conforms(wire.streamStop, stop.json, 'POST /chat/streams/{messageId}/stop')).toEqual({ status: 'done' });
  });

  it('answers POST /chat in JSON, and the history routes, as described', async () => {
    const answer = conforms(wire.chatAnswer, (await app.api('/chat', { method: 'POST', token, body: { message: 'Where to eat?' } })).json, 'POST /chat');
    const page = conforms(wire.conversationPage, (await app.api('/conversations?limit=1', { token })).json, 'GET /conversations');
    expect(page.nextCursor).toEqual(expect.any(String));
    const conversation = conforms(wire.conversation, (await app.api(`/conversations/${answer.conversationId}`, { token })).json, 'GET /conversations/{id}');
    expect(conversation.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    const renamed = await app.api(`/conversations/${answer.conversationId}`, { method: 'PATCH', token, body: { title: 'Eating in Lyon' } });
    conforms(wire.conversationSummary, renamed.json, 'PATCH /conversations/{id}');
  });

  it('answers the file routes as described, inline and by upload URL', async () => {
    const text = 'Ship on Friday.';
    const inline = await app.api('/files', { method: 'POST', token, body: { fileName: 'notes.md', contentType: 'text/markdown', data: Buffer.from(text).toString('base64') } });
    const file = conforms(wire.fileContext, inline.json, 'POST /files');
    conforms(wire.fileDetail, (await app.api(`/files/${file.fileId}`, { token })).json, 'GET /files/{id}');

    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    const slotResponse = await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'table.csv', contentType: 'text/csv', size: bytes.length } });
    const slot = conforms(wire.uploadSlot, slotResponse.json, 'POST /files/uploads');
    expect((await fetch(slot.uploadUrl, { method: slot.method, headers: slot.headers, body: bytes })).status).toBe(200);
    const processed = conforms(wire.fileContext, (await app.api(`/files/${slot.fileId}/process`, { method: 'POST', token })).json, 'POST /files/{id}/process');
    expect(processed).toMatchObject({ fileType: 'csv', status: 'ready', rows: 1 });

    const list = conforms(wire.filePage, (await app.api('/files', { token })).json, 'GET /files');
    expect(list.items.map((item) => item.fileId).sort()).toEqual([file.fileId, slot.fileId].sort());
  });

  it('answers the usage and admin routes as described', async () => {
    conforms(wire.usageSummary, (await app.api('/usage', { token })).json, 'GET /usage');
    const report = conforms(wire.monthReport, (await app.api('/admin/usage', { token: adminToken })).json, 'GET /admin/usage');
    const userId = report.items[0]!.userId;
    const change = await app.api(`/admin/users/${userId}/limit`, { method: 'PUT', token: adminToken, body: { limitUsd: 5 } });
    expect(conforms(wire.limitChange, change.json, 'PUT /admin/users/{userId}/limit')).toEqual({ userId, limitUsd: 5, ownLimit: true });
  });

  it('answers every refusal with the error body, whatever refused it', async () => {
    const refusals = [
      await app.api('/conversations'), // no token: the edge
      await app.api('/conversations?limit=0', { token }), // a query the schema refuses
      await app.api('/chat', { method: 'POST', token, body: { message: 'Hi', regenerate: { messageId: 'm1' } } }), // the handler
      await app.api('/conversations/unknown', { token }), // the domain
      await app.api('/admin/usage', { token }), // not an admin
      await app.api('/usage', { method: 'DELETE', token }), // no such route
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBeGreaterThanOrEqual(400);
      const body = conforms(wire.errorBody, refusal.json, `error ${refusal.status}`);
      expect(body.error.requestId).toBe(refusal.headers.get('x-request-id'));
    }
  });

  it('is what the services return, at compile time: a service that drifts from the contract does not compile', () => {
    expectTypeOf<Resolved<ConversationService['list']>>().toExtend<wire.Page<wire.ConversationSummary>>();
    expectTypeOf<Resolved<ConversationService['get']>>().toExtend<wire.Conversation>();
    expectTypeOf<Resolved<ConversationService['rename']>>().toExtend<wire.ConversationSummary>();
    expectTypeOf<Resolved<FileService['upload']>>().toExtend<wire.FileContext>();
    expectTypeOf<Resolved<FileService['process']>>().toExtend<wire.FileContext>();
    expectTypeOf<Resolved<FileService['list']>>().toExtend<wire.Page<wire.FileContext>>();
    expectTypeOf<Resolved<FileService['get']>>().toExtend<wire.FileDetail>();
    expectTypeOf<Resolved<FileService['createUpload']>>().toExtend<wire.UploadSlot>();
    expectTypeOf<Pick<Extract<ChatEvent, { type: 'done' }>, 'message' | 'context'>>().toExtend<Pick<wire.ChatAnswer, 'message' | 'context'>>();
    expectTypeOf<Resolved<UsageService['summary']> & { admin: boolean }>().toExtend<wire.UsageSummary>();
    expectTypeOf<Resolved<UsageService['monthReport']>>().toExtend<wire.MonthReport>();
    expectTypeOf<Resolved<UsageService['setLimit']> & { userId: string }>().toExtend<wire.LimitChange>();
    // The kinds of file: the domain's and the wire's are the same list.
    expectTypeOf<FileType>().toEqualTypeOf<wire.FileType>();
    // The SPA sends what the schema takes.
    expectTypeOf<wire.ChatRequest>().toExtend<z.input<typeof wire.chatBody>>();
  });
});
