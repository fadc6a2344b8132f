import * as z from 'zod';
import { FILE_TYPES } from './file-types.js';

/**
 * Response bodies, route by route. Strict: they list every field the server sends, so that the
 * contract test (test/http/contract.test.ts) fails on a field that leaks out undescribed. Optional
 * fields are absent, never null, unless said otherwise.
 */

const isoInstant = z.iso.datetime();

export const tokenUsage = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Prompt tokens read from the model's cache (Bedrock prompt caching). */
  cacheReadTokens: z.number().int().nonnegative().optional(),
  cacheWriteTokens: z.number().int().nonnegative().optional(),
});
export type TokenUsage = z.output<typeof tokenUsage>;

/**
 * Why an answer ended. The first six come from the model; `aborted`: the user stopped it or went
 * away; `error`: the model failed part way. In both cases what was streamed is kept.
 */
export const stopReason = z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'content_filtered', 'guardrail_intervened', 'tool_use', 'aborted', 'error']);
export type StopReason = z.output<typeof stopReason>;

/** `{ code, message }`: what went wrong, for an answer that ended in an error or a file that could not be read. */
export const problem = z.strictObject({ code: z.string(), message: z.string() });

/** How full the model's context was for an answer, and what had to give way. */
export const contextReport = z.strictObject({
  estimatedInputTokens: z.number().int().nonnegative(),
  contextWindowTokens: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** Messages of the conversation the model read. */
  includedMessages: z.number().int().nonnegative(),
  /** Older messages left out to fit (oldest first). */
  droppedMessages: z.number().int().nonnegative(),
  /** Files whose text was cut to fit. */
  truncatedFileIds: z.array(z.string()),
});
export type ContextReport = z.output<typeof contextReport>;

export const message = z.strictObject({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  timestamp: isoInstant,
  /** A question's attached files. */
  fileIds: z.array(z.string()).optional(),
  /** An answer's. */
  usage: tokenUsage.optional(),
  stopReason: stopReason.optional(),
  /** An answer that ended in an error: what the user was told. */
  error: problem.optional(),
  context: contextReport.optional(),
  /** A regenerated answer's: the answer it replaces, kept as a previous version. */
  replaces: z.string().optional(),
});
export type Message = z.output<typeof message>;

/** A row of `GET /conversations`; also `PATCH /conversations/{id}`'s answer. */
export const conversationSummary = z.strictObject({
  conversationId: z.string(),
  title: z.string(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type ConversationSummary = z.output<typeof conversationSummary>;

/** `GET /conversations/{id}`: the newest messages that fit one response, oldest first. */
export const conversation = conversationSummary.extend({
  /** Files attached to the conversation: every turn gives their text to the model. */
  fileIds: z.array(z.string()),
  messages: z.array(message),
  /** Older messages still stored but left out (`?before=<the first message's id>` reads them). */
  omittedMessages: z.number().int().positive().optional(),
});
export type Conversation = z.output<typeof conversation>;

/** A list in pages: pass `nextCursor` back as `?cursor=` for the next one; absent on the last page. */
export const page = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.string().optional() });
/** A page of any item type, as `page(schema)` parses it. */
export type Page<T> = z.output<ReturnType<typeof page<z.ZodType<T>>>>;

/** `GET /conversations`. */
export const conversationPage = page(conversationSummary);

export const fileType = z.enum(FILE_TYPES);

/** A file and what was read from it: `POST /files`, `POST /files/{id}/process`, a row of `GET /files`. */
export const fileContext = z.strictObject({
  fileId: z.string(),
  fileName: z.string(),
  fileType,
  /** Bytes of the original file. */
  size: z.number().int().nonnegative(),
  /** Characters of extracted text (0 until extracted). */
  charCount: z.number().int().nonnegative(),
  status: z.enum(['uploading', 'ready', 'failed']),
  uploadedAt: isoInstant,
  pages: z.number().int().nonnegative().optional(),
  rows: z.number().int().nonnegative().optional(),
  /** The extracted text was longer than the limit and was cut (sent only then). */
  truncated: z.boolean().optional(),
  error: problem.optional(),
});
export type FileContext = z.output<typeof fileContext>;

/** `GET /files`. */
export const filePage = page(fileContext);

/** `GET /files/{id}`: with the first characters of its text. */
export const fileDetail = fileContext.extend({ preview: z.string() });
export type FileDetail = z.output<typeof fileDetail>;

/** `POST /files/uploads` (201): PUT the bytes to `uploadUrl` with `headers`, then `POST /files/{fileId}/process`. */
export const uploadSlot = z.strictObject({
  fileId: z.string(),
  uploadUrl: z.url(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  /** The PUT must start before this instant; each URL writes its file once. */
  expiresAt: isoInstant,
});
export type UploadSlot = z.output<typeof uploadSlot>;

/** `POST /chat` without `Accept: text/event-stream`: the whole answer at once. */
export const chatAnswer = z.strictObject({
  conversationId: z.string(),
  title: z.string(),
  message,
  usage: tokenUsage,
  context: contextReport,
});
export type ChatAnswer = z.output<typeof chatAnswer>;

/** `GET /usage`: the signed-in user's spending this calendar month (UTC). */
export const usageSummary = z.strictObject({
  /** `2026-11`. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  costUsd: z.number().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** The user's monthly budget in USD; null: unlimited. */
  limitUsd: z.number().nonnegative().nullable(),
  /** When the month's budget starts again. */
  resetsAt: isoInstant,
  /** May open the admins' page (`/admin`); the admin routes check it again. */
  admin: z.boolean(),
});
export type UsageSummary = z.output<typeof usageSummary>;

/** A row of `GET /admin/usage`: one user's month. */
export const userUsage = z.strictObject({
  userId: z.string(),
  /** The name or email the user last chatted under. */
  displayName: z.string().nullable(),
  costUsd: z.number().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  /** The limit that applies to the user; null: unlimited. */
  limitUsd: z.number().nonnegative().nullable(),
  /** The user has a limit of their own, rather than the default. */
  ownLimit: z.boolean(),
});
export type UserUsage = z.output<typeof userUsage>;

/** `GET /admin/usage`: a page of every user's usage in a month. */
export const monthReport = page(userUsage).extend({ month: z.string().regex(/^\d{4}-\d{2}$/) });
export type MonthReport = z.output<typeof monthReport>;

/** `PUT /admin/users/{userId}/limit`: the limit that applies after the change. */
export const limitChange = z.strictObject({
  userId: z.string(),
  limitUsd: z.number().nonnegative().nullable(),
  ownLimit: z.boolean(),
});
export type LimitChange = z.output<typeof limitChange>;

/** `GET /health`. */
export const health = z.strictObject({ status: z.literal('ok') });

/** `POST /local-auth/token` (`npm start` only): a name in, a Cognito-shaped ID token out. */
export const localToken = z.strictObject({ idToken: z.string(), accessToken: z.string(), expiresIn: z.number().int().positive() });
export type LocalToken = z.output<typeof localToken>;

/**
 * `POST /chat/streams/{messageId}/stop`: `stopping` (202) when the answer was still being written
 * (it stops within moments, wherever it runs); how it had ended (200) when it had.
 */
export const streamStop = z.strictObject({ status: z.enum(['stopping', 'done', 'error', 'stopped']) });
export type StreamStop = z.output<typeof streamStop>;
