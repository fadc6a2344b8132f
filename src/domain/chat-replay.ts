import { storedFailure } from './answer-failures.js';
import { NO_USAGE, type ChatDeps, type ChatEvent } from './chat-types.js';
import { DomainError, conversationNotFound } from './errors.js';
import type { RequestClaim } from './request-claim.js';

/** How long after its claim a message's question is stored at the latest, when its request goes on at all. */
const QUESTION_STORED_WITHIN_MS = 60_000;

/**
 * A claim whose request stored nothing and is long over: a minute on, its conversation is there
 * but its question is not (a message's question is stored before anything else is sent). Its
 * request failed before storing anything and could not give the key up either; a retry takes the
 * key over rather than hear, for a day, that the request is still being answered. A Regenerate's
 * claim names a question stored long before: never abandoned by this test.
 */
export async function claimAbandoned(deps: Pick<ChatDeps, 'conversations' | 'clock'>, userId: string, claim: RequestClaim): Promise<boolean> {
  if (Date.parse(claim.createdAt) >= deps.clock.now().getTime() - QUESTION_STORED_WITHIN_MS) return false;
  const thread = await deps.conversations.read(userId, claim.conversationId);
  return thread !== undefined && !thread.messages.some((message) => message.id === claim.userMessageId || message.id === claim.answerMessageId);
}

/**
 * A retry of a request already made with the same key: what was stored is sent again, and the
 * model is not called (nor billed) a second time.
 */
export async function* replayAnswer(
  deps: Pick<ChatDeps, 'conversations' | 'clock' | 'model'>,
  userId: string,
  claim: RequestClaim,
  fingerprint: string,
): AsyncGenerator<ChatEvent, void, undefined> {
  if (claim.fingerprint !== fingerprint) {
    throw new DomainError('unprocessable', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request. Use a new key for a new message or a new Regenerate.');
  }
  const thread = await deps.conversations.read(userId, claim.conversationId);
  const answer = thread?.messages.find((message) => message.id === claim.answerMessageId);
  // No conversation a minute after the claim: it was answered once and has been deleted since.
  if (!thread && Date.parse(claim.createdAt) < deps.clock.now().getTime() - QUESTION_STORED_WITHIN_MS) throw conversationNotFound();
  if (!thread || !answer) {
    throw new DomainError('conflict', 'IDEMPOTENCY_KEY_IN_USE', 'The request with this Idempotency-Key is still being answered. Wait for it, or send again with a new key.');
  }
  yield {
    type: 'meta',
    conversationId: claim.conversationId,
    userMessageId: claim.userMessageId,
    answerMessageId: claim.answerMessageId,
    title: thread.conversation.title,
  };
  if (answer.content !== '') yield { type: 'delta', text: answer.content };
  if (answer.error) {
    yield { type: 'error', error: storedFailure(answer.error), messageId: answer.id, replayed: true };
    return;
  }
  const { limits } = deps.model;
  yield {
    type: 'done',
    message: { ...answer, usage: answer.usage ?? NO_USAGE, stopReason: answer.stopReason ?? 'end_turn' },
    context: answer.context ?? {
      estimatedInputTokens: answer.usage?.inputTokens ?? 0,
      contextWindowTokens: limits.contextWindowTokens,
      maxOutputTokens: limits.maxOutputTokens,
      includedMessages: 0,
      droppedMessages: 0,
      truncatedFileIds: [],
    },
    replayed: true,
  };
}
