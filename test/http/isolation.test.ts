import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { base64, expectError, pluck, startTestServer, type Json, type TestServer } from '../support/http-client.js';

describe('one user cannot reach another user’s data', () => {
  let app: TestServer;
  let alice: string;
  let bob: string;
  let conversationId: string;
  let fileId: string;
  let pendingFileId: string;
  let aliceConversation: Json;
  let aliceFile: Json;

  beforeAll(async () => {
    app = await startTestServer();
    alice = await app.signIn('alice');
    bob = await app.signIn('bob');

    const file = await app.api('/files', {
      method: 'POST',
      token: alice,
      body: { fileName: 'secret-plan.md', contentType: 'text/markdown', data: base64('# Secret plan\n\nAlice only.') },
    });
    expect(file.status).toBe(201);
    fileId = file.json.fileId as string;

    const slot = await app.api('/files/uploads', {
      method: 'POST',
      token: alice,
      body: { fileName: 'pending.txt', contentType: 'text/plain', size: 5 },
    });
    expect(slot.status).toBe(201);
    pendingFileId = slot.json.fileId as string;

    const chat = await app.api('/chat', { method: 'POST', token: alice, body: { message: 'My secret question', fileIds: [fileId] } });
    expect(chat.status).toBe(200);
    conversationId = chat.json.conversationId as string;

    aliceConversation = (await app.api(`/conversations/${conversationId}`, { token: alice })).json;
    aliceFile = (await app.api(`/files/${fileId}`, { token: alice })).json;
  });
  afterAll(() => app.close());

  it('answers 404, not 403, for alice’s conversation', async () => {
    expectError(await app.api(`/conversations/${conversationId}`, { token: bob }), 404, 'CONVERSATION_NOT_FOUND');
    expectError(
      await app.api(`/conversations/${conversationId}`, { method: 'PATCH', token: bob, body: { title: 'Hacked' } }),
      404,
      'CONVERSATION_NOT_FOUND',
    );
    expectError(await app.api(`/conversations/${conversationId}`, { method: 'DELETE', token: bob }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('answers 404 for alice’s files', async () => {
    for (const id of [fileId, pendingFileId]) {
      expectError(await app.api(`/files/${id}`, { token: bob }), 404, 'FILE_NOT_FOUND');
      expectError(await app.api(`/files/${id}/process`, { method: 'POST', token: bob }), 404, 'FILE_NOT_FOUND');
      expectError(await app.api(`/files/${id}`, { method: 'DELETE', token: bob }), 404, 'FILE_NOT_FOUND');
    }
  });

  it('answers 404 to a chat in alice’s conversation or with alice’s files, in JSON and streamed', async () => {
    expectError(
      await app.api('/chat', { method: 'POST', token: bob, body: { conversationId, message: 'Let me in' } }),
      404,
      'CONVERSATION_NOT_FOUND',
    );
    expectError(await app.api('/chat', { method: 'POST', token: bob, body: { message: 'Read it', fileIds: [fileId] } }), 404, 'FILE_NOT_FOUND');

    const streamed = await app.chatStream(bob, { conversationId, message: 'Let me in' });
    expect(streamed.events).toEqual([]);
    expectError({ ...streamed, text: JSON.stringify(streamed.json) }, 404, 'CONVERSATION_NOT_FOUND');
    const streamedFile = await app.chatStream(bob, { message: 'Read it', fileIds: [fileId] });
    expect(streamedFile.events).toEqual([]);
    expectError({ ...streamedFile, text: JSON.stringify(streamedFile.json) }, 404, 'FILE_NOT_FOUND');

    // The refused chats left nothing behind for bob.
    const bobsList = await app.api('/conversations', { token: bob });
    expect(bobsList.json.items).toEqual([]);
  });

  it('shows bob none of alice’s data in his lists', async () => {
    const conversations = await app.api('/conversations', { token: bob });
    expect(conversations.json.items).toEqual([]);
    const files = await app.api('/files', { token: bob });
    expect(files.json.items).toEqual([]);
  });

  it('answers a cursor made from alice’s list with bob’s data only', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await app.api('/chat', { method: 'POST', token: alice, body: { message: `Another of alice’s ${i}` } });
      expect(res.status).toBe(200);
    }
    const page = await app.api('/conversations?limit=1', { token: alice });
    expect(page.json.nextCursor).toEqual(expect.any(String));
    const res = await app.api(`/conversations?limit=1&cursor=${encodeURIComponent(page.json.nextCursor as string)}`, { token: bob });
    if (res.status === 200) expect(res.json.items).toEqual([]);
    else expectError(res, 400);
  });

  it('leaves alice’s data intact', async () => {
    const conversation = await app.api(`/conversations/${conversationId}`, { token: alice });
    expect(conversation.status).toBe(200);
    expect(conversation.json).toEqual(aliceConversation);
    expect(conversation.json.title).toBe('My secret question');
    expect(conversation.json.messages).toHaveLength(2);

    const file = await app.api(`/files/${fileId}`, { token: alice });
    expect(file.status).toBe(200);
    expect(file.json).toEqual(aliceFile);
    const pending = await app.api(`/files/${pendingFileId}`, { token: alice });
    expect(pending.status).toBe(200);

    const list = await app.api('/files', { token: alice });
    expect(pluck(list.json.items, 'fileId').sort()).toEqual([fileId, pendingFileId].sort());

    const chat = await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, message: 'Still mine?' } });
    expect(chat.status).toBe(200);
    expect(chat.json.message.content).toContain('secret-plan.md');
  });
});
