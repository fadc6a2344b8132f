import type { Conversation, ConversationSummary, Message } from '../conversation.js';

export interface Page<T> {
  items: T[];
  /** Opaque: pass it back to get the next page. Absent on the last page. */
  nextCursor?: string;
}

export interface ConversationThread {
  conversation: Conversation;
  messages: Message[];
}

export interface ListOptions {
  limit: number;
  cursor?: string;
}

/**
 * The history store. Every call takes the user id, and no call reaches another user's data:
 * a conversation id of someone else behaves exactly as one that does not exist.
 */
export interface ConversationStore {
  create(userId: string, conversation: Conversation): Promise<void>;
  /**
   * Creates the conversation with its first message, as `create` then `appendMessage` would, in
   * one round trip where the store allows (a new chat's question waits for nothing else). On
   * failure, what was written is taken back (as far as the store still answers).
   */
  start(userId: string, conversation: Conversation, first: Message): Promise<void>;
  get(userId: string, conversationId: string): Promise<Conversation | undefined>;
  /** Newest activity first. A cursor this store did not issue throws DomainError `invalid`. */
  list(userId: string, options: ListOptions): Promise<Page<ConversationSummary>>;
  /** Returns the updated summary, or undefined if there is no such conversation. */
  rename(userId: string, conversationId: string, title: string, updatedAt: string): Promise<ConversationSummary | undefined>;
  /** Adds files to the conversation's context (a set: ids already there are kept once). */
  attachFiles(userId: string, conversationId: string, fileIds: string[], updatedAt: string): Promise<void>;
  /**
   * Stores one message and moves the conversation's `updatedAt` to the message's timestamp.
   * The cost does not depend on how long the conversation is, and concurrent appends all survive.
   * Throws DomainError `not_found` if the conversation does not exist.
   */
  appendMessage(userId: string, conversationId: string, message: Message): Promise<void>;
  /** Oldest first. Empty for a conversation that does not exist. */
  listMessages(userId: string, conversationId: string): Promise<Message[]>;
  /**
   * The conversation and its messages (oldest first) as `get` and `listMessages` give them, in
   * one read where the store keeps them together: what a message to the model waits for. Undefined
   * for a conversation that does not exist, or is another user's.
   */
  read(userId: string, conversationId: string): Promise<ConversationThread | undefined>;
  /** Removes the conversation and all its messages. False if there was nothing to remove. */
  delete(userId: string, conversationId: string): Promise<boolean>;
}
