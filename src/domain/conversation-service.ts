import { MAX_TITLE_LENGTH, toSummary, type ConversationSummary, type ConversationWithMessages } from './conversation.js';
import { conversationNotFound, invalidInput } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { ConversationStore, ListOptions, Page } from './ports/conversation-store.js';

export const MAX_PAGE_SIZE = 100;

/**
 * The most message text one read returns: a Lambda response is at most 6 MB, and JSON escaping and
 * UTF-8 can grow text up to threefold. Beyond it the newest messages are sent, the rest counted
 * and read by the next page.
 */
export const MAX_READ_CHARS = 1_500_000;

/** Listing, reading, renaming and deleting a user's conversations. */
export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly clock: Clock,
    private readonly maxReadChars = MAX_READ_CHARS,
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
    let chars = 0;
    let first = end;
    // At least one message, whatever its length: every read moves back.
    while (first > 0 && (first === end || chars + messages[first - 1]!.content.length <= this.maxReadChars)) {
      chars += messages[--first]!.content.length;
    }
    const page = messages.slice(first, end);
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
