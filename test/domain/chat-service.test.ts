import { describe, expect, it, vi } from 'vitest';
import type { ChatEvent } from '../../src/domain/chat-types.js';
import type { Message } from '../../src/domain/conversation.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  OTHER_USER,
  SYSTEM_PROMPT,
  USER,
  collect,
  liveSignal,
  makeDomain,
  metaOf,
  ofType,
  uploadText,
  type Domain,
} from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';
import { failAfter, hangAfter, replyWith } from '../support/fakes.js';

const send = (d: Domain, message: string, extra: { conversationId?: string; fileIds?: string[]; idempotencyKey?: string } = {}, userId = USER) =>
  collect(d.chat.send(userId, { message, ...extra }, liveSignal()));

const lastMessage = async (d: Domain, conversationId: string, userId = USER): Promise<Message | undefined> =>
  (await d.conversations.listMessages(userId, conversationId)).at(-1);

const throttled = () => new DomainError('throttled', 'MODEL_THROTTLED', 'The model is busy. Try again in a minute.');

describe('ChatService.send: a turn that goes well', () => {
  it('starts a conversation titled after the first message and streams meta, deltas, done in order', async () => {
    const d = makeDomain();
    const events = await send(d, 'What is the capital of France?\nThanks in advance');
    expect(events.map((event) => event.type)).toEqual(['meta', 'delta', 'delta', 'done']);
    expect(ofType(events, 'delta').map((event) => event.text)).toEqual(['Hello', ' world']);
    const meta = metaOf(events);
    expect(meta.title).toBe('What is the capital of France?');
    expect(await d.conversations.get(USER, meta.conversationId)).toMatchObject({ title: 'What is the capital of France?', fileIds: [] });
  });

  it('stores the user message as the model is asked (an in-memory store has it before the model reads)', async () => {
    const d = makeDomain();
    const seen: Message[][] = [];
    d.model.play(async function* (request, signal) {
      const [conversation] = (await d.conversations.list(USER, { limit: 10 })).items;
      seen.push(conversation ? await d.conversations.listMessages(USER, conversation.conversationId) : []);
      yield* replyWith('ok')(request, signal);
    });
    const meta = metaOf(await send(d, 'Hi there'));
    expect(seen).toEqual([[{ id: meta.userMessageId, role: 'user', content: 'Hi there', timestamp: expect.any(String) }]]);
  });

  it('stores the answer with usage, stop reason and the streamed text, after the question', async () => {
    const d = makeDomain();
    d.model.play(replyWith('The answer', ' is', ' 42.'));
    const events = await send(d, 'What is the answer?');
    const [done] = ofType(events, 'done');
    const [question, answer] = await d.conversations.listMessages(USER, metaOf(events).conversationId);
    expect(answer).toEqual(done?.message);
    expect(answer).toMatchObject({
      role: 'assistant',
      content: ofType(events, 'delta').map((event) => event.text).join(''),
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 3 },
    });
    expect(answer!.timestamp > question!.timestamp).toBe(true);
    expect((await d.conversations.get(USER, metaOf(events).conversationId))?.updatedAt).toBe(answer?.timestamp);
  });

  it('sends the history to the model on the second turn', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First question'));
    d.model.play(replyWith('Second answer'));
    const events = await send(d, 'Second question', { conversationId });
    expect(metaOf(events).title).toBe('First question');
    expect(d.model.requests[1]).toMatchObject({
      system: SYSTEM_PROMPT,
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'Hello world' },
        { role: 'user', content: 'Second question' },
      ],
    });
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(4);
  });
});

describe('ChatService.send: two sends to one conversation at once', () => {
  it('answers each question from the history up to it, whatever the other stored meanwhile', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First question'));
    d.model.play(replyWith('Answer to tab one'));
    const first = d.chat.send(USER, { message: 'From tab one', conversationId }, liveSignal());
    // Its question is stored, and the model asked (it answers once read).
    expect((await first.next()).value).toMatchObject({ type: 'meta' });

    d.model.play(replyWith('Answer to tab two'));
    const second = await send(d, 'From tab two', { conversationId });
    expect(ofType(second, 'done')).toHaveLength(1);

    const rest = await collect(first);
    expect(ofType(rest, 'done')).toHaveLength(1);
    // Tab one's request left first, before tab two's question was stored.
    expect(d.model.requests.at(-2)?.messages).toEqual([
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'Hello world' },
      { role: 'user', content: 'From tab one' },
    ]);
    const contents = (await d.conversations.listMessages(USER, conversationId)).map((message) => message.content);
    // Each answer right after its question: stamped when it began, however late it was stored.
    expect(contents).toEqual(['First question', 'Hello world', 'From tab one', 'Answer to tab one', 'From tab two', 'Answer to tab two']);
  });
});

describe('ChatService.send: when the answer fails or stops', () => {
  it('keeps the partial answer of a model error, marked, and reports the DomainError code', async () => {
    const d = makeDomain();
    d.model.play(failAfter(throttled(), 'Part', 'ial'));
    const events = await send(d, 'Tell me a story');
    expect(events.map((event) => event.type)).toEqual(['meta', 'delta', 'delta', 'error']);
    const [error] = ofType(events, 'error');
    // The adapter's own DomainError, kind and all: nothing downstream guesses the kind from the code.
    expect(error?.error).toMatchObject({ kind: 'throttled', code: 'MODEL_THROTTLED', message: throttled().message });
    expect(error?.unforeseen).toBeUndefined();
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({
      id: error?.messageId,
      role: 'assistant',
      content: 'Partial',
      stopReason: 'error',
      error: { code: 'MODEL_THROTTLED', message: throttled().message },
    });
  });

  it('reports an unknown model failure as MODEL_FAILED without its internals', async () => {
    const d = makeDomain();
    d.model.play(failAfter(new Error('socket hang up at 10.0.0.7'), 'Some'));
    const events = await send(d, 'Tell me a story');
    const [error] = ofType(events, 'error');
    expect(error?.error).toMatchObject({ kind: 'model_failed', code: 'MODEL_FAILED' });
    expect(error?.error.message).not.toContain('socket');
    // What was thrown stays with it, for the logs only.
    expect(error?.unforeseen).toBe(true);
    expect((error?.error.cause as Error).message).toBe('socket hang up at 10.0.0.7');
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({ content: 'Some', stopReason: 'error', error: { code: 'MODEL_FAILED' } });
  });

  it('refuses a message whose files cannot be read, before storing it or asking the model, and frees its key', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First'));
    const loadDocuments = d.files.loadDocuments.bind(d.files);
    d.files.loadDocuments = () => Promise.reject(new Error('store down'));
    await expect(send(d, 'Second', { conversationId, idempotencyKey: 'k2' })).rejects.toThrow('store down');
    expect(d.model.requests).toHaveLength(1);
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(2);
    // The retry with the same key is answered, not told it is still in progress.
    d.files.loadDocuments = loadDocuments;
    expect(ofType(await send(d, 'Second', { conversationId, idempotencyKey: 'k2' }), 'done')).toHaveLength(1);
  });

  it('closes the model\'s call and keeps nothing when the question cannot be stored, and frees its key', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First'));
    let modelSignal: AbortSignal | undefined;
    d.model.play(async function* (_request, signal) {
      modelSignal = signal;
      yield* replyWith('Never shown')(_request, signal);
    });
    const appendMessage = d.conversations.appendMessage.bind(d.conversations);
    d.conversations.appendMessage = () => Promise.reject(new Error('store down'));
    await expect(send(d, 'Second', { conversationId, idempotencyKey: 'k2' })).rejects.toThrow('store down');
    // The model was asked while the question was being stored, and its call closed when that failed.
    expect(d.model.requests).toHaveLength(2);
    expect(modelSignal?.aborted).toBe(true);
    d.conversations.appendMessage = appendMessage;
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(2);
    expect(await d.claims.find(USER, 'k2')).toBeUndefined();
  });

  it('reads the conversation with its messages once, with the claim, before storing anything', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First'));
    const reads = vi.spyOn(d.conversations, 'read');
    const lists = vi.spyOn(d.conversations, 'listMessages');
    const gets = vi.spyOn(d.conversations, 'get');
    await send(d, 'Second', { conversationId, idempotencyKey: 'k2' });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(lists).not.toHaveBeenCalled();
    expect(gets).not.toHaveBeenCalled();
    // The prompt holds the whole history: the first exchange, then the new question.
    expect(d.model.requests.at(-1)?.messages.map((message) => message.content)).toEqual(['First', 'Hello world', 'Second']);

    // The conversation unreadable: refused before the question is stored or the model asked.
    d.conversations.read = () => Promise.reject(new Error('store down'));
    await expect(send(d, 'Third', { conversationId })).rejects.toThrow('store down');
    expect(d.model.requests).toHaveLength(2);
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(4);
  });

  it('stores a model that throws as it is called as a failed answer, its question kept, nothing unhandled', async () => {
    const d = makeDomain();
    d.model.stream = () => {
      throw new Error('stream is not a function of this adapter');
    };
    const events = await send(d, 'Hello?', { idempotencyKey: 'k1' });
    expect(events.map((event) => event.type)).toEqual(['meta', 'error']);
    expect(ofType(events, 'error')[0]?.error).toMatchObject({ code: 'MODEL_FAILED' });
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({ role: 'assistant', stopReason: 'error' });
    // The retry replays the failure: the question was acknowledged, and is kept.
    expect(ofType(await send(d, 'Hello?', { idempotencyKey: 'k1' }), 'error')[0]?.replayed).toBe(true);
  });

  it('closes the model\'s call and keeps the question, the answer marked aborted, when the reader stops at meta', async () => {
    const d = makeDomain();
    let modelSignal: AbortSignal | undefined;
    d.model.play(async function* (request, signal) {
      modelSignal = signal;
      yield* replyWith('Never', ' read')(request, signal);
    });
    const events = d.chat.send(USER, { message: 'Hello' }, liveSignal());
    const meta = (await events.next()).value as Extract<ChatEvent, { type: 'meta' }>;
    await events.return(undefined);
    expect(modelSignal?.aborted).toBe(true);
    expect((await d.conversations.listMessages(USER, meta.conversationId)).map((message) => message.stopReason ?? message.role)).toEqual(['user', 'aborted']);
  });

  it('keeps no question whose new files could not be attached, and frees its key', async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'First'));
    const notes = await uploadText(d, USER, 'notes.txt', 'Some notes.');
    const attachFiles = d.conversations.attachFiles.bind(d.conversations);
    d.conversations.attachFiles = () => Promise.reject(new Error('store down'));
    await expect(send(d, 'Read this', { conversationId, fileIds: [notes.fileId], idempotencyKey: 'k2' })).rejects.toThrow('store down');
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(2);
    expect(await d.claims.find(USER, 'k2')).toBeUndefined();
    d.conversations.attachFiles = attachFiles;
    expect(ofType(await send(d, 'Read this', { conversationId, fileIds: [notes.fileId], idempotencyKey: 'k2' }), 'done')).toHaveLength(1);
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(4);
  });

  it('reports a model stream that ends without its end event as MODEL_FAILED', async () => {
    const d = makeDomain();
    d.model.play(async function* () {
      yield { type: 'text', text: 'Cut' };
    });
    const events = await send(d, 'Hello?');
    expect(ofType(events, 'error')[0]?.error).toMatchObject({ kind: 'model_failed', code: 'MODEL_FAILED' });
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({ content: 'Cut', stopReason: 'error' });
  });

  it('keeps the partial answer as aborted when the signal aborts mid-stream', async () => {
    const d = makeDomain();
    d.model.play(hangAfter('Hel', 'lo'));
    const controller = new AbortController();
    const events = [];
    for await (const event of d.chat.send(USER, { message: 'Hi' }, controller.signal)) {
      events.push(event);
      if (ofType(events, 'delta').length === 2) controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['meta', 'delta', 'delta']);
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({ role: 'assistant', content: 'Hello', stopReason: 'aborted' });
  });

  it('keeps the partial answer as aborted, with no error event, when the model throws the abort reason', async () => {
    const d = makeDomain();
    d.model.play(async function* (_request, signal) {
      yield { type: 'text', text: 'Par' };
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      throw signal.reason; // as the AWS SDK does
    });
    const controller = new AbortController();
    const events = [];
    for await (const event of d.chat.send(USER, { message: 'Hi' }, controller.signal)) {
      events.push(event);
      if (event.type === 'delta') controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['meta', 'delta']);
    expect(await lastMessage(d, metaOf(events).conversationId)).toMatchObject({ content: 'Par', stopReason: 'aborted' });
    expect((await lastMessage(d, metaOf(events).conversationId))?.error).toBeUndefined();
  });

  it('keeps the partial answer as aborted when the consumer stops reading', async () => {
    const d = makeDomain();
    d.model.play(replyWith('one ', 'two ', 'three'));
    let conversationId = '';
    for await (const event of d.chat.send(USER, { message: 'Count' }, liveSignal())) {
      if (event.type === 'meta') conversationId = event.conversationId;
      if (event.type === 'delta') break;
    }
    const messages = await d.conversations.listMessages(USER, conversationId);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(messages[1]).toMatchObject({ content: 'one ', stopReason: 'aborted' });
  });
});

describe('ChatService.send: requests refused before anything is stored', () => {
  const expectNothingStored = async (d: Domain, userId = USER) => {
    expect((await d.conversations.list(userId, { limit: 10 })).items).toEqual([]);
    expect(d.model.requests).toEqual([]);
  };

  it('refuses an empty or blank message', async () => {
    const d = makeDomain();
    await expectDomainError(send(d, ''), { kind: 'invalid', code: 'EMPTY_MESSAGE' });
    await expectDomainError(send(d, '  \n\t '), { kind: 'invalid', code: 'EMPTY_MESSAGE' });
    await expectNothingStored(d);
  });

  it('refuses a message over the limit, and takes one at the limit', async () => {
    const d = makeDomain({ chat: { maxMessageChars: 1000 } });
    await expectDomainError(send(d, 'x'.repeat(1001)), { kind: 'invalid', code: 'MESSAGE_TOO_LONG' });
    await expectNothingStored(d);
    expect(ofType(await send(d, 'x'.repeat(1000)), 'done')).toHaveLength(1);
  });

  it('refuses an unknown conversation id', async () => {
    const d = makeDomain();
    await expectDomainError(send(d, 'Hello', { conversationId: 'no-such-id' }), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
    await expectNothingStored(d);
  });

  it("refuses another user's conversation as if it did not exist", async () => {
    const d = makeDomain();
    const { conversationId } = metaOf(await send(d, 'Private question'));
    await expectDomainError(send(d, 'Let me in', { conversationId }, OTHER_USER), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
    expect((await d.conversations.listMessages(USER, conversationId)).map((m) => m.content)).toEqual(['Private question', 'Hello world']);
    expect((await d.conversations.list(OTHER_USER, { limit: 10 })).items).toEqual([]);
  });

  it("refuses another user's file", async () => {
    const d = makeDomain();
    const bobs = await uploadText(d, OTHER_USER, 'secret.txt', 'Bob only');
    await expectDomainError(send(d, 'Read this', { fileIds: [bobs.fileId] }), { kind: 'not_found', code: 'FILE_NOT_FOUND' });
    await expectNothingStored(d);
  });

  it('refuses a file whose upload is not processed yet', async () => {
    const d = makeDomain();
    const slot = await d.files.createUpload(USER, { fileName: 'big.txt', contentType: 'text/plain', size: 100 });
    await expectDomainError(send(d, 'Read this', { fileIds: [slot.fileId] }), { kind: 'conflict', code: 'FILE_NOT_READY' });
    await expectNothingStored(d);
  });

  it('refuses more files than the limit, counting a repeated id once', async () => {
    const d = makeDomain({ chat: { maxFilesPerMessage: 3 } });
    const files = await Promise.all(['a', 'b', 'c', 'd'].map((name) => uploadText(d, USER, `${name}.txt`, `file ${name}`)));
    const ids = files.map((file) => file.fileId);
    await expectDomainError(send(d, 'Read these', { fileIds: ids }), { kind: 'invalid', code: 'TOO_MANY_FILES' });
    await expectNothingStored(d);
    const events = await send(d, 'Read this', { fileIds: [ids[0]!, ids[0]!, ids[0]!, ids[0]!] });
    expect((await d.conversations.get(USER, metaOf(events).conversationId))?.fileIds).toEqual([ids[0]]);
  });
});

describe('ChatService.send: files', () => {
  it('keeps files attached on a turn in the conversation, and gives their texts to the model on every later turn', async () => {
    const d = makeDomain();
    const notes = await uploadText(d, USER, 'notes.md', '# Notes\nLeave Monday.', 'text/markdown');
    const data = await uploadText(d, USER, 'data.json', '{"a":1}', 'application/json');
    const documentsOfTurn = (turn: number) => d.model.requests[turn]?.documents.map(({ fileId, text }) => ({ fileId, text }));
    const notesDoc = { fileId: notes.fileId, text: '# Notes\nLeave Monday.' };
    const dataDoc = { fileId: data.fileId, text: '{\n  "a": 1\n}' };

    const first = await send(d, 'Read my notes', { fileIds: [notes.fileId] });
    const { conversationId } = metaOf(first);
    expect((await d.conversations.listMessages(USER, conversationId))[0]?.fileIds).toEqual([notes.fileId]);
    await send(d, 'And then?', { conversationId });
    await send(d, 'Now the data', { conversationId, fileIds: [data.fileId] });
    await send(d, 'Both?', { conversationId });

    expect((await d.conversations.get(USER, conversationId))?.fileIds).toEqual([notes.fileId, data.fileId]);
    expect(documentsOfTurn(0)).toEqual([notesDoc]);
    expect(documentsOfTurn(1)).toEqual([notesDoc]);
    expect(documentsOfTurn(2)).toEqual([notesDoc, dataDoc]);
    expect(documentsOfTurn(3)).toEqual([notesDoc, dataDoc]);
  });

  it('sends files without words: the question is stored empty, the model gets a user turn that names them', async () => {
    const d = makeDomain();
    const notes = await uploadText(d, USER, 'notes.md', '# Notes\nLeave Monday.', 'text/markdown');
    const events = await send(d, '', { fileIds: [notes.fileId] });
    const meta = metaOf(events);
    expect(ofType(events, 'done')).toHaveLength(1);
    // Named after what was sent, since no words were.
    expect(meta.title).toBe('notes.md');
    const [question] = await d.conversations.listMessages(USER, meta.conversationId);
    expect(question).toMatchObject({ role: 'user', content: '', fileIds: [notes.fileId] });
    expect(d.model.requests[0]).toMatchObject({
      documents: [{ fileId: notes.fileId, fileName: 'notes.md' }],
      messages: [{ role: 'user', content: '[The user sent the file notes.md without a message.]' }],
    });

    // Later turns see that turn the same way; blank words with files are stored as none.
    const data = await uploadText(d, USER, 'data.json', '{"a":1}', 'application/json');
    await send(d, '  \n ', { conversationId: meta.conversationId, fileIds: [data.fileId] });
    expect((await d.conversations.listMessages(USER, meta.conversationId))[2]).toMatchObject({ content: '', fileIds: [data.fileId] });
    expect(d.model.requests[1]?.messages).toEqual([
      { role: 'user', content: '[The user sent the file notes.md without a message.]' },
      { role: 'assistant', content: 'Hello world' },
      { role: 'user', content: '[The user sent the file data.json without a message.]' },
    ]);
  });

  it('leaves out a file deleted since it was attached', async () => {
    const d = makeDomain();
    const notes = await uploadText(d, USER, 'notes.txt', 'Some notes');
    const { conversationId } = metaOf(await send(d, 'Read my notes', { fileIds: [notes.fileId] }));
    await d.files.delete(USER, notes.fileId);
    expect(ofType(await send(d, 'Still there?', { conversationId }), 'done')).toHaveLength(1);
    expect(d.model.requests[1]?.documents).toEqual([]);
  });
});
