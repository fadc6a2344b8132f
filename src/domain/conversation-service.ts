import { MAX_TITLE_LENGTH, toSummary, type ConversationSummary, type ConversationWithMessages } from './conversation.js';
import { conversationNotFound, invalidInput } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { ConversationStore, ListOptions, Page } from './ports/conversation-store.js';

export const MAX_PAGE_SIZE = 100;

/**
 * The most message text one read returns: a Lambda response is at most 6 MB, and JSON escaping and
 * UTF-8 can grow text up to threefold. Beyond it the newest messages are sent, the rest counted.
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

  async get(userId: string, conversationId: string): Promise<ConversationWithMessages> {
    const [conversation, messages] = await Promise.all([
      this.store.get(userId, conversationId),
      this.store.listMessages(userId, conversationId),
    ]);
    if (!conversation) throw conversationNotFound();
    let chars = 0;
    let first = messages.length;
    while (first > 0 && chars + messages[first - 1]!.content.length <= this.maxReadChars) chars += messages[--first]!.content.length;
    if (first === 0) return { ...conversation, messages };
    return { ...conversation, messages: messages.slice(first), omittedMessages: first };
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
