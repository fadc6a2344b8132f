import { MAX_TITLE_LENGTH, shownMessage, toSummary, type ConversationSummary, type ConversationWithMessages } from './conversation.js';
import { conversationNotFound, invalidInput } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { ConversationStore, ListOptions, Page } from './ports/conversation-store.js';
import { jsonBytes } from './json-bytes.js';

export const MAX_PAGE_SIZE = 100;

/**
 * The most JSON one read of a conversation sends, in UTF-8 bytes. A Lambda response is at most
 * 6,291,456 bytes, headers and the API Gateway envelope included: 5 MB of body leaves room for them.
 * Counted on the serialised messages, not their characters: JSON escapes a control character to
 * six bytes (`\u0001`) and UTF-8 takes up to three bytes for one UTF-16 unit, so 1.5 million
 * characters could be 9 MB. Beyond it the newest messages are sent, the rest counted and read by
 * the next page. One message alone always fits: a question is at most MAX_MESSAGE_CHARS (100,000)
 * characters, 600 KB serialised at worst, and an answer is bounded by the model's output tokens and
 * the store's item size (DynamoDB: 400 KB, so at most 2.4 MB serialised).
 */
export const MAX_READ_BYTES = 5 * 1024 * 1024;


/** Listing, reading, renaming and deleting a user's conversations. */
export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly clock: Clock,
    private readonly maxReadBytes = MAX_READ_BYTES,
  ) {}

  async list(userId: string, options: ListOptions): Promise<Page<ConversationSummary>> {
    const limit = Math.min(Math.max(1, Math.floor(options.limit)), MAX_PAGE_SIZE);
    const page = await this.store.list(userId, { ...options, limit });
    return page;
  }

  /**
   * A conversation with its newest messages, as many as fit one response; `before` (a message id
   * from an earlier read) asks for the ones just older than that message instead.
   * `omittedMessages` counts what is older still, for the next read.
   */
  async get(userId: string, conversationId: string, options: { before?: string } = {}): Promise<ConversationWithMessages> {
    const [conversation, messages] = await Promise.all([
      this.store.get(userId, conversationId),
      this.store.listMessages(userId, conversationId),
    ]);
    if (!conversation) throw conversationNotFound();
    const end = options.before === undefined ? messages.length : messages.findIndex((message) => message.id === options.before);
    if (end === -1) throw invalidInput('UNKNOWN_MESSAGE', '`before` must be the id of a message of this conversation.');
    // The conversation's own fields, an empty message list and the largest `omittedMessages`
    // count, then each message and its comma.
    let bytes = jsonBytes({ ...conversation, messages: [], omittedMessages: messages.length });
    let first = end;
    // At least one message, whatever its size: every read moves back.
    while (first > 0) {
      const size = jsonBytes(messages[first - 1]) + 1;
      if (first !== end && bytes + size > this.maxReadBytes) break;
      bytes += size;
      first--;
    }
    const page = messages.slice(first, end).map(shownMessage);
    return first === 0 ? { ...conversation, messages: page } : { ...conversation, messages: page, omittedMessages: first };
  }

  async rename(userId: string, conversationId: string, title: string): Promise<ConversationSummary> {
    const cleaned = title.replace(/\s+/g, ' ').trim();
    if (cleaned.length === 0) throw invalidInput('INVALID_TITLE', 'The title must not be empty.');
    if (cleaned.length > MAX_TITLE_LENGTH) {
      throw invalidInput('INVALID_TITLE', `The title must be at most ${MAX_TITLE_LENGTH} characters.`);
    }
    const renamed = await this.store.rename(userId, conversationId, cleaned, this.clock.now().toISOString());
    if (!renamed) throw conversationNotFound();
    return toSummary(renamed);
  }

  async delete(userId: string, conversationId: string): Promise<void> {
    if (!(await this.store.delete(userId, conversationId))) throw conversationNotFound();
  }
}
