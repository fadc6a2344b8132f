import { describe, expect, it } from 'vitest';
import { chatRequest as chatRequestSchema } from '../../src/contract/requests.js';
import { chatRequest } from '../../src/entrypoints/chat/chat-request.js';
import { HttpError } from '../../src/entrypoints/http/http-error.js';
import { chatEvent } from '../support/api-event.js';

/**
 * The contract's ChatRequest (the type the SPA sends) describes what the chat handler lets
 * through: a body the handler accepts parses with the schema, and one it refuses does not.
 */
const identity = { userId: 'user-1', username: 'ada', email: 'ada@example.com', groups: [] };
const asked = (body: object) => {
  // The sender's name and the idempotency key come from the identity and the headers, not the body.
  const { senderName: _senderName, idempotencyKey: _key, ...request } = chatRequest(chatEvent('token', body), identity);
  return request;
};
const refusal = (body: object): string | undefined => {
  try {
    chatRequest(chatEvent('token', body), identity);
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return error.code;
    throw error;
  }
};

describe('POST /chat’s body and the contract’s ChatRequest', () => {
  it.each([
    { message: 'hello' },
    { message: '', fileIds: ['file-1'] },
    { conversationId: 'conv-1', message: 'again', fileIds: ['file-1', 'file-2'] },
    { conversationId: 'conv-1', regenerate: { messageId: 'msg-1' } },
  ])('accepts %j, and so does the schema', (body) => {
    expect(asked(body)).toEqual(body);
    expect(chatRequestSchema.parse(body)).toEqual(body);
  });

  it.each([
    [{}, 'MISSING_MESSAGE'],
    [{ fileIds: ['file-1'] }, 'MISSING_MESSAGE'],
    [{ regenerate: { messageId: 'msg-1' } }, 'MISSING_CONVERSATION_ID'],
    [{ conversationId: 'conv-1', message: 'both', regenerate: { messageId: 'msg-1' } }, 'MESSAGE_AND_REGENERATE'],
    [{ conversationId: 'conv-1', fileIds: ['file-1'], regenerate: { messageId: 'msg-1' } }, 'MESSAGE_AND_REGENERATE'],
  ])('refuses %j with %s, and the schema refuses it too', (body, code) => {
    expect(refusal(body)).toBe(code);
    expect(chatRequestSchema.safeParse(body).success).toBe(false);
  });
});
