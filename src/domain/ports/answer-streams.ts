/**
 * The events of answers as they were streamed, kept for a while so that a client that lost its
 * connection can pick its answer up again from any instance, and so that a Stop reaches the
 * instance that writes the answer. One stream per answer, named by the answer's message id, per
 * user: another user's stream of the same id is not there. Kept for at least a day.
 */
export interface AnswerStreams {
  /**
   * Starts the stream of an answer (status `streaming`, no events yet). False when a stream of this
   * id exists already (a retry replaying an answer that was recorded the first time): nothing is
   * changed, and the caller records nothing.
   */
  open(userId: string, messageId: string): Promise<boolean>;
  /**
   * Adds events after those stored, numbered on from `lastId` (ids 1, 2, 3, ...), and ends the
   * stream when `ending` is given. Adding events stored already (a retry after a failed write)
   * stores them once. Says whether a Stop was asked for: how a writer on another instance learns of it.
   */
  append(userId: string, messageId: string, events: readonly StreamedEvent[], ending?: EndedStatus): Promise<{ stopRequested: boolean }>;
  /**
   * The stream's head and its events with an id above `after`, in order; undefined when there is
   * no such stream. Every event up to `head.lastId` is among them: a stream read as ended is read whole.
   */
  read(userId: string, messageId: string, after: number): Promise<{ head: StreamHead; events: StreamedEvent[] } | undefined>;
  /**
   * Asks the writer of a streaming answer to stop (it learns it at its next `append`). The status
   * the stream had: `streaming` when the request was recorded, an ended status when it had ended
   * already (nothing changes), undefined when there is no such stream.
   */
  requestStop(userId: string, messageId: string): Promise<StreamStatus | undefined>;
}

export type StreamStatus = 'streaming' | 'done' | 'error' | 'stopped';
export type EndedStatus = Exclude<StreamStatus, 'streaming'>;

/** One event as it was sent: its id in the stream, its name and its data (a JSON value). */
export interface StreamedEvent {
  id: number;
  event: string;
  data: unknown;
}

export interface StreamHead {
  status: StreamStatus;
  /** The id of the last event stored; 0 before the first. */
  lastId: number;
  stopRequested: boolean;
  /**
   * When the head was last written (epoch ms, the writer's clock). A writer writes it about once a
   * second while it streams, even when no event comes: a head that stops changing while still
   * `streaming` lost its writer.
   */
  updatedAt: number;
}
