import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer } from '../support/http-client.js';

/** `npm start`'s default: embedded dynalite and s3rver persisting under DATA_DIR. */
describe('local server with the embedded stores', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
  const env = { STORE: 'embedded', DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps conversations, messages and files across a restart', async () => {
    const first = await startTestServer({ env });
    let conversationId: string;
    let fileId: string;
    try {
      const token = await first.signIn('carol');
      const file = await first.api('/files', {
        method: 'POST',
        token,
        body: { fileName: 'plan.md', contentType: 'text/markdown', data: Buffer.from('# Plan\nShip it.').toString('base64') },
      });
      expect(file.status).toBe(201);
      fileId = file.json.fileId;
      const chat = await first.api('/chat', { method: 'POST', token, body: { message: 'Remember this plan', fileIds: [fileId] } });
      expect(chat.status).toBe(200);
      conversationId = chat.json.conversationId;
    } finally {
      await first.close();
    }

    const second = await startTestServer({ env });
    try {
      // A new token for the same username is the same user.
      const token = await second.signIn('carol');
      const list = await second.api('/conversations', { token });
      expect(list.json.items.map((item: { conversationId: string }) => item.conversationId)).toEqual([conversationId]);
      const conversation = await second.api(`/conversations/${conversationId}`, { token });
      expect(conversation.json.title).toBe('Remember this plan');
      expect(conversation.json.fileIds).toEqual([fileId]);
      expect(conversation.json.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
      const file = await second.api(`/files/${fileId}`, { token });
      expect(file.json.preview).toBe('# Plan\nShip it.');

      const next = await second.api('/chat', { method: 'POST', token, body: { conversationId, message: 'And now?' } });
      expect(next.status).toBe(200);
      expect(next.json.message.content).toContain('plan.md');
    } finally {
      await second.close();
    }
  });

  it('keeps everyone signed in across a restart: the signing key lives with the data', async () => {
    const first = await startTestServer({ env });
    let token: string;
    try {
      token = await first.signIn('dana');
    } finally {
      await first.close();
    }
    const second = await startTestServer({ env });
    try {
      expect((await second.api('/conversations', { token })).status).toBe(200);
    } finally {
      await second.close();
    }
    const key = statSync(join(dataDir, 'local-auth-signing-key.pem'));
    // Readable by its owner only.
    expect(key.mode & 0o077).toBe(0);
  });

  it('signs everyone out on restart with STORE=memory, where nothing else survives either', async () => {
    const first = await startTestServer({ env: { STORE: 'memory' } });
    let token: string;
    try {
      token = await first.signIn('erin');
    } finally {
      await first.close();
    }
    const second = await startTestServer({ env: { STORE: 'memory' } });
    try {
      expectError(await second.api('/conversations', { token }), 401, 'UNAUTHORIZED');
    } finally {
      await second.close();
    }
  });
});
