/** JSON keeps the two parts apart whatever characters they hold. */
const answerKey = (userId: string, messageId: string): string => JSON.stringify([userId, messageId]);

/**
 * The answers this process is writing now, by user and answer id: a Stop that reaches the process
 * that writes the answer (always, with the local server) stops it at once; on another instance it
 * is learned from the store at the writer's next flush (chat/answer-recorder.ts).
 */
export class LiveAnswers {
  private readonly stops = new Map<string, () => void>();

  /**
   * Registers an answer being written; the returned function takes it off again. An answer of that
   * id registered already keeps its place (a retry replaying it is not the one that writes it).
   */
  add(userId: string, messageId: string, stop: () => void): () => void {
    const key = answerKey(userId, messageId);
    if (this.stops.has(key)) return () => undefined;
    this.stops.set(key, stop);
    return () => {
      if (this.stops.get(key) === stop) this.stops.delete(key);
    };
  }

  /** Stops the user's answer if this process is writing it; false when it is not. */
  stop(userId: string, messageId: string): boolean {
    const stop = this.stops.get(answerKey(userId, messageId));
    stop?.();
    return stop !== undefined;
  }

  /** Stops every answer in progress: the process is shutting down, and nothing would read them. */
  stopAll(): void {
    for (const stop of [...this.stops.values()]) stop();
  }
}
