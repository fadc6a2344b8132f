/**
 * The files each conversation had when this process last answered in it. A follow-up reads those
 * files' records in its first round of store calls, beside the conversation, instead of in a
 * second round after the conversation said which files it has: on a warm function the message
 * reaches the model after one round trip instead of two. Only a guess: the conversation as read
 * says which files count, a file it names that was not guessed is read then, and one guessed that
 * it no longer names is not used. Bounded: the least recently used conversations are forgotten.
 */
export class ConversationFileHints {
  private readonly files = new Map<string, readonly string[]>();

  constructor(private readonly capacity = 10_000) {}

  /** The files last seen in the conversation; none when it was not seen here (or was forgotten). */
  guess(userId: string, conversationId: string): readonly string[] {
    const key = keyOf(userId, conversationId);
    const fileIds = this.files.get(key);
    if (fileIds === undefined) return [];
    // Map order is insertion order: moved to the end, it is forgotten last.
    this.files.delete(key);
    this.files.set(key, fileIds);
    return fileIds;
  }

  remember(userId: string, conversationId: string, fileIds: readonly string[]): void {
    const key = keyOf(userId, conversationId);
    this.files.delete(key);
    this.files.set(key, [...fileIds]);
    if (this.files.size > this.capacity) this.files.delete(this.files.keys().next().value!);
  }
}

// JSON keeps the two ids apart whatever characters they hold.
const keyOf = (userId: string, conversationId: string) => JSON.stringify([userId, conversationId]);
