import type { Logger } from '@aws-lambda-powertools/logger';
import type { ChatEvent, ChatFailure } from '../../domain/chat-types.js';
import type { DomainError } from '../../domain/errors.js';
import type { ChatMetrics, ChatOutcome } from '../http/chat-metrics.js';
import type { AnswerLimits } from './answer-limits.js';

/**
 * What one `POST /chat` leaves behind, whether it was answered in JSON or streamed: the answer's
 * metrics, the log lines of its failures, the error that ends an answer a limit cut short, and
 * the request's one log line. Both answers feed it the same events, so they count alike.
 */
export class AnswerOutcome {
  private readonly started = performance.now();
  private answeringSince: number | undefined;
  private firstTokenMs: number | undefined;
  /** How the answer ended: its stop reason or its error code. Unset while it has not. */
  private ending: string | undefined;

  constructor(
    private readonly deps: { logger: Logger; metrics: ChatMetrics },
    private readonly requestId: string,
  ) {}

  /** The request passed its checks and the answer has started: the first token's latency counts from here. */
  answering(): void {
    this.answeringSince = performance.now();
  }

  /** Each event of the answer, in order. */
  saw(event: ChatEvent): void {
    switch (event.type) {
      case 'delta':
        if (this.answeringSince !== undefined) this.firstTokenMs ??= performance.now() - this.answeringSince;
        return;
      case 'done':
        this.ended(event.message.stopReason, event.replayed, { usage: event.message.usage });
        return;
      case 'error':
        this.logFailure(event);
        this.ended(event.error.code, event.replayed, { errorCode: event.error.code });
        return;
      default:
        return;
    }
  }

  /**
   * After the last event: the error that ends an answer a limit or a Stop cut short, recorded as
   * its ending. Undefined when the answer had ended anyway (a limit reached while its title was
   * written). A Stop is the user's choice, not a failure: it counts in no metric.
   */
  cutShort(limits: AnswerLimits): DomainError | undefined {
    if (this.ending !== undefined) return undefined;
    const error = limits.endingError();
    if (!error) return undefined;
    if (limits.stoppedBy === 'stopped') this.ending = error.code;
    else this.ended(error.code, undefined, { errorCode: error.code });
    return error;
  }

  /** The answer could not be stored part way (its store failed): a fault, whatever the client is told. */
  notStored(error: unknown): void {
    this.deps.logger.error('chat stream failed', { requestId: this.requestId, error: error as Error });
  }

  /** The request's one line, as the other handlers log (api-handler.ts); never the body or the token. */
  log(status: number, limits: AnswerLimits): void {
    this.deps.logger.info('request', {
      requestId: this.requestId,
      route: 'POST /chat',
      status,
      ms: Math.round(performance.now() - this.started),
      ...(this.ending && { outcome: this.ending }),
      ...(limits.stoppedBy && { stoppedBy: limits.stoppedBy }),
    });
  }

  private ended(ending: string, replayed: true | undefined, result: Pick<ChatOutcome, 'usage' | 'errorCode'>): void {
    this.ending = ending;
    // A replay bills nothing and measures nothing: its answer was counted the first time.
    if (replayed) return;
    this.deps.metrics.record({
      ...result,
      ...(this.firstTokenMs !== undefined && { firstTokenMs: this.firstTokenMs }),
      totalMs: performance.now() - this.started,
    });
  }

  /**
   * A failure the domain or an adapter described is a warning; anything else is a fault, logged
   * with what was thrown. A replayed failure is not logged again: no model was called this time.
   */
  private logFailure(event: ChatFailure): void {
    if (event.replayed) return;
    const { logger } = this.deps;
    if (event.unforeseen) logger.error('model failed', { requestId: this.requestId, code: event.error.code, error: event.error.cause as Error });
    else logger.warn('model failed', { requestId: this.requestId, code: event.error.code, error: event.error });
  }
}
