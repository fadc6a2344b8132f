import type { Message } from './conversation.js';
import { DomainError, invalidInput } from './errors.js';

/**
 * Regenerate keeps every answer: a new one names the one it replaces (`replaces`), and chains
 * grow (A3 replaces A2 replaces A1). Only the newest of a chain is "the" answer: the others are
 * previous versions, shown on request but never given to the model again.
 */

/** The ids of the answers a newer version replaces. */
export function previousVersionIds(messages: readonly Message[]): Set<string> {
  const replaced = new Set<string>();
  for (const message of messages) if (message.replaces !== undefined) replaced.add(message.replaces);
  return replaced;
}

/** The conversation as it reads now: each answer's newest version, in order. */
export function currentMessages<T extends Message>(messages: readonly T[]): T[] {
  const replaced = previousVersionIds(messages);
  return replaced.size === 0 ? [...messages] : messages.filter((message) => !replaced.has(message.id));
}

export interface RegenerationTarget {
  /** The question the answer answered: asked again, not stored again. */
  question: Message;
  /** The answer to replace. */
  answer: Message;
}

/**
 * What a Regenerate of `answerId` asks again. Only the conversation's latest answer can be
 * replaced: a new version of an older one would answer a question the conversation has moved on
 * from, with history the model would see differently than the user does.
 */
export function regenerationTarget(messages: readonly Message[], answerId: string): RegenerationTarget {
  const answer = messages.find((message) => message.id === answerId);
  if (!answer) throw new DomainError('not_found', 'MESSAGE_NOT_FOUND', 'This answer does not exist in this conversation.');
  if (answer.role !== 'assistant') throw invalidInput('NOT_AN_ANSWER', 'Only an answer can be regenerated: `regenerate.messageId` names a question.');
  const current = currentMessages(messages);
  const index = current.indexOf(answer);
  const question = current[index - 1];
  if (index === -1 || index !== current.length - 1 || question?.role !== 'user') {
    throw new DomainError('conflict', 'NOT_LATEST_ANSWER', 'Only the latest answer of a conversation can be regenerated.');
  }
  return { question, answer };
}
