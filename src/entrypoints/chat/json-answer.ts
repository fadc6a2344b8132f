import type { ChatAnswer } from '../../contract/responses.js';
import { answerInterrupted } from '../../domain/answer-failures.js';
import type { ChatEvent } from '../../domain/chat-types.js';
import type { DomainError } from '../../domain/errors.js';
import type { ApiResult } from '../http/api-types.js';
import { jsonResponse, type Headers } from '../http/responses.js';
import { wireEvent } from '../http/sse.js';
import type { AnswerLimits } from './answer-limits.js';
import type { AnswerOutcome } from './answer-outcome.js';
import type { AnswerRecorder } from './answer-recorder.js';

/**
 * `POST /chat` without `Accept: text/event-stream`: the answer's events gathered into one body,
 * sent once the answer is stored (and, for a new conversation, titled). An answer that fails
 * throws its DomainError, which the handler turns into the status its kind calls for. The handler
 * has its events recorded as a stream's are (`recorder`): a Stop reaches it from any instance, and
 * a client that went away can follow it with GET /chat/streams/{id}.
 */
export async function jsonAnswer(
  events: AsyncIterator<ChatEvent, void>,
  first: IteratorResult<ChatEvent, void>,
  { limits, outcome, recorder, headers }: { limits: AnswerLimits; outcome: AnswerOutcome; recorder?: AnswerRecorder; headers: Headers },
): Promise<ApiResult> {
  let meta: Extract<ChatEvent, { type: 'meta' }> | undefined;
  let done: Extract<ChatEvent, { type: 'done' }> | undefined;
  let failure: DomainError | undefined;
  let title: string | undefined;
  for (let next = first; !next.done; next = await events.next()) {
    const event = next.value;
    // The idle limit counts the model's silence, as for a stream: a long answer that keeps coming is not cut.
    limits.modelActive();
    outcome.saw(event);
    recorder?.record(wireEvent(event));
    if (event.type === 'meta') meta = event;
    else if (event.type === 'done') done = event;
    else if (event.type === 'error') failure = event.error;
    else if (event.type === 'title') title = event.title;
  }
  if (failure) throw failure;
  const cutShort = outcome.cutShort(limits);
  if (cutShort) {
    recorder?.record({ event: 'error', data: { code: cutShort.code, message: cutShort.message, ...(meta && { messageId: meta.answerMessageId }) } });
    throw cutShort;
  }
  // The service ended without an answer and without saying why (it should not).
  if (!meta || !done) throw answerInterrupted();
  const answer: ChatAnswer = {
    conversationId: meta.conversationId,
    title: title ?? meta.title,
    message: done.message,
    usage: done.message.usage,
    context: done.context,
  };
  return jsonResponse(200, answer, { ...headers, ...(done.replayed && { 'Idempotent-Replayed': 'true' }) });
}
