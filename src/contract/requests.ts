import * as z from 'zod';

/**
 * Request bodies and query strings, as the handlers parse them. A body that fails is answered 400
 * `VALIDATION_FAILED` (or the route's own code) with "The request body is not valid. <field>:
 * <message>.", so the messages below are part of the contract.
 */

/** Ids the API hands out (UUIDs), with room for other stores' formats. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an id returned by the API');

/** Generous structural caps: the domain enforces the configured limits with its own messages. */
const MAX_TEXT = 1_000_000;

/**
 * `POST /chat`: a new `message` (with `fileIds`, or only files and an empty message), or
 * `regenerate` the conversation's latest answer, `{ conversationId, regenerate: { messageId } }`.
 * Which of the two it is, and that it is not both, the handler says with codes of its own
 * (MISSING_MESSAGE, MESSAGE_AND_REGENERATE, MISSING_CONVERSATION_ID).
 */
export const chatBody = z
  .object({
    conversationId: id.optional(),
    message: z.string('must be a string').max(MAX_TEXT, 'is far too long').optional(),
    fileIds: z.array(id).max(100, 'has too many files').optional(),
    regenerate: z.object({ messageId: id }, 'must be an object with the messageId of the answer to replace').strict().optional(),
  })
  .strict();
export type ChatBody = z.output<typeof chatBody>;

/** `PATCH /conversations/{id}`: the new title. */
export const renameBody = z.object({ title: z.string('must be a string').max(10_000, 'is far too long') }).strict();
export type RenameBody = z.output<typeof renameBody>;

/** `GET /conversations`: a page of `limit` (default 20), after the `nextCursor` of the previous one. */
export const listQuery = z
  .object({
    limit: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
    cursor: z.string().max(2048, 'is not a valid cursor').optional(),
  })
  .strict();
export type ListQuery = z.input<typeof listQuery>;

/** `GET /conversations/{id}`: `before` pages back through a conversation too long for one read. */
export const conversationQuery = z.object({ before: id.optional() }).strict();
export type ConversationQuery = z.output<typeof conversationQuery>;

const fileName = z.string('must be a string').min(1, 'must not be empty').max(1024, 'is too long');
const contentType = z
  .string('must be a string')
  .max(255, 'is too long')
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'must be a MIME type such as text/plain')
  .default('application/octet-stream');

/** `POST /files`: a file of at most `files.maxInlineBytes` (config.json), its bytes in base64. */
export const inlineFileBody = z
  .object({
    fileName,
    contentType,
    data: z.base64('must be base64'),
  })
  .strict();
export type InlineFileBody = z.input<typeof inlineFileBody>;

/** `POST /files/uploads`: a larger file's name, type and size; the answer is an upload URL. */
export const uploadRequestBody = z
  .object({
    fileName,
    contentType,
    size: z.number('must be a number').int('must be a whole number of bytes').nonnegative('must not be negative'),
  })
  .strict();
export type UploadRequestBody = z.input<typeof uploadRequestBody>;

/** `GET /files`: the `nextCursor` of the previous page, when the list did not fit one response. */
export const fileListQuery = z.object({ cursor: z.string().max(2048, 'is not a valid cursor').optional() }).strict();

/**
 * `GET /admin/usage`: every value is checked by the handler and the domain, which answer each
 * mistake with its own code (INVALID_MONTH, INVALID_LIMIT_PARAMETER, INVALID_CURSOR).
 */
export const monthReportQuery = z
  .object({
    month: z.string().optional(),
    limit: z.string().optional(),
    cursor: z.string().optional(),
  })
  .strict();

/** `PUT /admin/users/{userId}/limit`: dollars a month, or null to clear the user's own limit (the default applies again). */
export const limitBody = z.object({ limitUsd: z.number('must be a number of dollars, or null').nullable() }).strict();
export type LimitBody = z.output<typeof limitBody>;

/**
 * What `POST /chat` accepts once the handler has checked which of the two it is: a new message
 * (its words may be empty when files are attached), or a new answer in place of the
 * conversation's latest one. The handler parses `chatBody` and tells the two apart itself, so that
 * each mistake gets its own code; this union is what it lets through.
 */
export const chatRequest = z.union([
  chatBody.omit({ regenerate: true }).required({ message: true }),
  chatBody.pick({ conversationId: true, regenerate: true }).required(),
]);
export type ChatRequest = z.output<typeof chatRequest>;
