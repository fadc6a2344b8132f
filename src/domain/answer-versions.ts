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

/**
 * Each answer's versions, by the id of the first one (its root), and each answer's root. Two tabs
 * may each regenerate the same answer: both new versions name it, and the one stored last is the
 * current one.
 */
function answerChains<T extends Message>(messages: readonly T[]): { chains: Map<string, T[]>; rootOf: Map<string, string> } {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const chains = new Map<string, T[]>();
  const rootOf = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    let root = message.id;
    const seen = new Set<string>();
    for (let at = byId.get(root); at?.replaces !== undefined && !seen.has(at.id); at = byId.get(root)) {
      seen.add(at.id);
      root = at.replaces;
    }
    rootOf.set(message.id, root);
    const versions = chains.get(root);
    if (versions) versions.push(message);
    else chains.set(root, [message]);
  }
  return { chains, rootOf };
}

/**
 * The conversation as it reads now: each answer's newest version, standing where its first
 * version stood. Stored order is time order, so a version written while another tab asked a
 * new question would otherwise land after that question.
 */
export function currentMessages<T extends Message>(messages: readonly T[]): T[] {
  if (!messages.some((message) => message.replaces !== undefined)) return [...messages];
  const { chains, rootOf } = answerChains(messages);
  const placed = new Set<string>();
  const current: T[] = [];
  for (const message of messages) {
    const root = rootOf.get(message.id);
    if (root === undefined) current.push(message); // a question
    else if (!placed.has(root)) {
      placed.add(root);
      current.push(chains.get(root)!.at(-1)!);
    }
  }
  return current;
}

/** The versions of the answer `answerId` belongs to, oldest first (the last is the current one). */
function versionsOf(messages: readonly Message[], answerId: string): Message[] {
  const { chains, rootOf } = answerChains(messages);
  const root = rootOf.get(answerId);
  return root === undefined ? [] : chains.get(root)!;
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
  const named = messages.find((message) => message.id === answerId);
  if (!named) throw new DomainError('not_found', 'MESSAGE_NOT_FOUND', 'This answer does not exist in this conversation.');
  if (named.role !== 'assistant') throw invalidInput('NOT_AN_ANSWER', 'Only an answer can be regenerated: `regenerate.messageId` names a question.');
  // Any version of the latest answer may be named (the one on screen); the newest is the one replaced.
  const answer = versionsOf(messages, answerId).at(-1)!;
  const current = currentMessages(messages);
  const index = current.indexOf(answer);
  const question = current[index - 1];
  if (index === -1 || index !== current.length - 1 || question?.role !== 'user') {
    throw new DomainError('conflict', 'NOT_LATEST_ANSWER', 'Only the latest answer of a conversation can be regenerated.');
  }
  return { question, answer };
}
