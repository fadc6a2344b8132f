import { DomainError } from '../../domain/errors.js';

/** Time kept back from the Lambda timeout to store a partial answer (or end a resumed stream) before the function is stopped. */
export const TIMEOUT_RESERVE_MS = 3000;
/** Time kept back from the Lambda timeout by the last writes of an answer's stream (their retries). */
const FINISH_RESERVE_MS = 1000;

/** The code of the error that ends a stopped answer. */
export const ANSWER_STOPPED = 'ANSWER_STOPPED';

export type StopCause = 'stopped' | 'deadline' | 'model-idle';

/**
 * The limits on one answer, all ending it the same way (an abort: the service keeps what was
 * written and marks it stopped): a Stop the user asked for, the Lambda's time running out, and a
 * model silent for too long. Says afterwards which one it was, and what the client should hear.
 * A client that goes away is none of them: the answer goes on, and is recorded for a resume.
 */
export class AnswerLimits {
  private readonly controller = new AbortController();
  private cause: StopCause | undefined;
  private readonly deadline: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  /**
   * When (epoch ms) the answer's last writes must be done: the function returns before Lambda stops
   * it. Infinity without a Lambda.
   */
  readonly finishBy: number;

  constructor(
    private readonly modelIdleMs: number,
    /** The Lambda's remaining time, when there is a Lambda. */
    remainingMs?: number,
  ) {
    if (remainingMs !== undefined) this.deadline = setTimeout(() => this.stop('deadline'), remainingMs - TIMEOUT_RESERVE_MS);
    this.finishBy = remainingMs === undefined ? Infinity : Date.now() + remainingMs - FINISH_RESERVE_MS;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stoppedBy(): StopCause | undefined {
    return this.cause;
  }

  stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort(new Error(`answer stopped: ${cause}`));
  }

  /** The model did something: its silence starts again from now. */
  modelActive(): void {
    // Called for every token: re-arming the one timer costs less than a new one each time.
    if (this.idle) this.idle.refresh();
    else this.idle = setTimeout(() => this.stop('model-idle'), this.modelIdleMs);
  }

  /** The error that ends an answer cut short by a limit or a Stop. */
  endingError(): DomainError | undefined {
    switch (this.cause) {
      case 'stopped':
        // A conflict with the request, for the JSON answer's status: the user stopped what it asked for.
        return new DomainError('conflict', ANSWER_STOPPED, 'The answer was stopped.');
      case 'deadline':
        return new DomainError('timeout', 'ANSWER_TIMEOUT', 'The answer took too long and was cut off. What arrived is kept; ask to continue.');
      case 'model-idle':
        return new DomainError(
          'timeout',
          'MODEL_TIMEOUT',
          `The model stopped answering for ${Math.round(this.modelIdleMs / 1000)} s, so the answer was ended. What arrived is kept; try again.`,
        );
      default:
        return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
  }
}
