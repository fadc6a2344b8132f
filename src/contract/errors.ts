import * as z from 'zod';

/**
 * Every error, on every route, is this body with a 4xx or 5xx status: 400 bad input, 401 sign in
 * again, 403 not allowed, 404 not found, 409 not ready or a conflict, 413 too large, 415
 * unsupported file type, 422 unreadable file, 429 over a budget or a rate (with `Retry-After`),
 * 502/503/504 model or store trouble. `code` is stable and CONSTANT_CASE (clients branch and
 * translate on it); `message` is English for a person; `requestId` is what the logs are searched by.
 *
 * The codes themselves are not listed here: they are written where each error is raised (the
 * domain, the adapters, the handlers), and tests keep them in step instead. test/support/error-codes.ts
 * reads every code from the source; test/i18n/server-error-codes.test.ts fails on a code the SPA
 * cannot translate, and test/docs/docs.test.ts on one docs/api.md does not list.
 */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/),
    message: z.string().min(1),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.output<typeof errorBody>;
