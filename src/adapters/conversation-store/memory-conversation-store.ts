import { copyData } from '../system/copy-data.js';
import type { Conversation, ConversationSummary, Message } from '../../domain/conversation.js';
import { toSummary } from '../../domain/conversation.js';
import { conversationNotFound } from '../../domain/errors.js';
import type { ConversationStore, ConversationThread, ListOptions, Page } from '../../domain/ports/conversation-store.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';

interface Stored {
  conversation: Conversation;
  /**
   * Each message as JSON, as a database keeps it: messages never change once stored, a read
   * parses fresh copies, and the garbage collector sees one string per message rather than a
   * tree of objects, which it would copy at every young-generation collection until promoted.
   */
  messages: string[];
}

type Position = [updatedAt: string, conversationId: string];
const isPosition = (value: unknown): value is Position =>
  Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string');

/** Newest first; ties broken by id so that paging is stable. */
const newestFirst = (a: Conversation, b: Conversation): number =>
  b.updatedAt.localeCompare(a.updatedAt) || b.conversationId.localeCompare(a.conversationId);

/** Map-backed history for tests and `STORE=memory`. Returns copies: callers cannot change what is stored. */
export class MemoryConversationStore implements ConversationStore {
  private readonly users = new Map<string, Map<string, Stored>>();

  async create(userId: string, conversation: Conversation): Promise<void> {
    this.partition(userId).set(conversation.conversationId, { conversation: copyData(conversation), messages: [] });
  }

  async start(userId: string, conversation: Conversation, first: Message): Promise<void> {
    const started = copyData(conversation);
    if (first.timestamp > started.updatedAt) started.updatedAt = first.timestamp;
    this.partition(userId).set(conversation.conversationId, { conversation: started, messages: [JSON.stringify(first)] });
  }

  async get(userId: string, conversationId: string): Promise<Conversation | undefined> {
    const stored = this.partition(userId).get(conversationId);
    return stored && copyData(stored.conversation);
  }

  async list(userId: string, options: ListOptions): Promise<Page<ConversationSummary>> {
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, isPosition);
    const all = [...this.partition(userId).values()].map((stored) => stored.conversation).sort(newestFirst);
    const start = after
      ? all.findIndex((c) => newestFirst(c, { conversationId: after[1], updatedAt: after[0] } as Conversation) > 0)
      : 0;
    const items = start < 0 ? [] : all.slice(start, start + options.limit);
    const last = items[items.length - 1];
    const hasMore = start >= 0 && start + options.limit < all.length;
    const page: Page<ConversationSummary> = { items: items.map(toSummary) };
    if (hasMore && last) page.nextCursor = encodeCursor([last.updatedAt, last.conversationId]);
    return page;
  }

  async rename(userId: string, conversationId: string, title: string, updatedAt: string): Promise<ConversationSummary | undefined> {
    const stored = this.partition(userId).get(conversationId);
    if (!stored) return undefined;
    stored.conversation.title = title;
    stored.conversation.updatedAt = updatedAt;
    return toSummary(stored.conversation);
  }

  async attachFiles(userId: string, conversationId: string, fileIds: string[], updatedAt: string): Promise<void> {
    const stored = this.partition(userId).get(conversationId);
    if (!stored) throw conversationNotFound();
    stored.conversation.fileIds = [...new Set([...stored.conversation.fileIds, ...fileIds])];
    if (updatedAt > stored.conversation.updatedAt) stored.conversation.updatedAt = updatedAt;
  }

  async appendMessage(userId: string, conversationId: string, message: Message): Promise<void> {
    const stored = this.partition(userId).get(conversationId);
    if (!stored) throw conversationNotFound();
    // Oldest first, as DynamoDB's sort key keeps them: a message stamped before the last one stored
    // (an answer stopped late, stored after the next question) goes in its place, not at the end.
    let at = stored.messages.length;
    while (at > 0 && (JSON.parse(stored.messages[at - 1]!) as Message).timestamp > message.timestamp) at--;
    stored.messages.splice(at, 0, JSON.stringify(message));
    if (message.timestamp > stored.conversation.updatedAt) stored.conversation.updatedAt = message.timestamp;
  }

  async listMessages(userId: string, conversationId: string): Promise<Message[]> {
    return (this.partition(userId).get(conversationId)?.messages ?? []).map((json) => JSON.parse(json) as Message);
  }

  async read(userId: string, conversationId: string): Promise<ConversationThread | undefined> {
    const stored = this.partition(userId).get(conversationId);
    return stored && { conversation: copyData(stored.conversation), messages: stored.messages.map((json) => JSON.parse(json) as Message) };
  }

  async delete(userId: string, conversationId: string): Promise<boolean> {
    return this.partition(userId).delete(conversationId);
  }

  private partition(userId: string): Map<string, Stored> {
    let partition = this.users.get(userId);
    if (!partition) {
      partition = new Map();
      this.users.set(userId, partition);
    }
    return partition;
  }
}
