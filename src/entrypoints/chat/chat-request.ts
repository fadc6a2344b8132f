import { chatBody, type ChatBody } from '../../contract/requests.js';
import type { ChatRequest } from '../../domain/chat-types.js';
import type { UserIdentity } from '../../domain/ports/token-verifier.js';
import { IDEMPOTENCY_KEY } from '../../domain/request-claim.js';
import type { ApiEvent } from '../http/api-types.js';
import { HttpError } from '../http/http-error.js';
import { header, parseBody } from '../http/request.js';

/**
 * What `POST /chat` asks: the body, the client's `Idempotency-Key` when it sent one (a retry then
 * stores and bills nothing twice), and the sender's name as the admins' usage table shows it.
 */
export function chatRequest(event: ApiEvent, identity: UserIdentity): ChatRequest {
  const body: ChatRequest = { ...askedFor(parseBody(event, chatBody)), senderName: identity.email ?? identity.username };
  const key = header(event, 'idempotency-key');
  if (key === undefined) return body;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 128 letters, digits or _ - : . characters.');
  }
  return { ...body, idempotencyKey: key };
}

/** A new message, or a Regenerate: exactly one of the two, each with what it needs. */
function askedFor(body: ChatBody): ChatRequest {
  const { conversationId, message, fileIds, regenerate } = body;
  if (regenerate) {
    if (message !== undefined || fileIds !== undefined) {
      throw new HttpError(400, 'MESSAGE_AND_REGENERATE', 'Send either a `message` (a new question) or `regenerate` (a new answer to the last one), not both.');
    }
    if (conversationId === undefined) {
      throw new HttpError(400, 'MISSING_CONVERSATION_ID', '`regenerate` needs the `conversationId` of the answer to replace.');
    }
    return { conversationId, regenerate };
  }
  if (message === undefined) {
    throw new HttpError(400, 'MISSING_MESSAGE', 'The request needs a `message` (it may be empty when `fileIds` are given), or `regenerate` for a new answer to the last one.');
  }
  return { message, ...(conversationId !== undefined && { conversationId }), ...(fileIds !== undefined && { fileIds }) };
}
