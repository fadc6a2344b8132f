import * as z from 'zod';
import { contextReport, stopReason, tokenUsage } from './responses.js';

/**
 * `POST /chat` with `Accept: text/event-stream`: Server-Sent Events, each `id: <n>` (1, 2, 3, ...
 * within the answer, `meta` being 1), `event: <name>` and one line of JSON in `data:`. In order:
 * one `meta`, any number of `delta`, then one `done` or `error`; after the `done` of a new
 * conversation's first answer, a `title` when a model named it. Silences over 15 s carry
 * `: keep-alive` comment lines, which readers skip and which carry no id.
 *
 * `GET /chat/streams/{answerMessageId}` with `Last-Event-ID: <n>` (or `?after=<n>`) sends the same
 * events after `n`, with their ids (consecutive deltas may come as one, under the last one's id),
 * then follows the answer until it ends. A stopped answer ends with an `error` event whose code is
 * `ANSWER_STOPPED`; a stream whose writer stopped writing it (its instance died) with `STREAM_ABANDONED`.
 */

/** First: where the question and the answer are stored (ids known before the answer is written). */
export const metaEvent = z.strictObject({
  conversationId: z.string(),
  userMessageId: z.string(),
  /** The id the answer is stored under: a later Regenerate names it. */
  answerMessageId: z.string(),
  title: z.string(),
});

/** The next piece of the answer's text. */
export const deltaEvent = z.strictObject({ text: z.string() });

/** The answer is stored: why it ended, what it cost in tokens, how full the context was. */
export const doneEvent = z.strictObject({
  messageId: z.string(),
  stopReason,
  usage: tokenUsage,
  context: contextReport,
});

/**
 * The answer ended in an error after the stream started (before it, the request is answered with
 * an error status and body instead). What arrived is kept under `messageId` when there is one.
 */
export const errorEvent = z.strictObject({
  code: z.string(),
  message: z.string(),
  messageId: z.string().optional(),
});

/** After a new conversation's first `done`: the title a model wrote for it. */
export const titleEvent = z.strictObject({ title: z.string() });

/** Each event's `data`, by the event's name. */
export const chatEventData = {
  meta: metaEvent,
  delta: deltaEvent,
  done: doneEvent,
  error: errorEvent,
  title: titleEvent,
} as const;

export type ChatEventName = keyof typeof chatEventData;
export type ChatEventData<Name extends ChatEventName> = z.output<(typeof chatEventData)[Name]>;

/** An event as a reader holds it: its name as `type`, beside its data. */
export type ChatEvent = { [Name in ChatEventName]: { type: Name } & ChatEventData<Name> }[ChatEventName];
