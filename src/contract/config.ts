import * as z from 'zod';
import { FILE_TYPES } from './file-types.js';

/**
 * `/config.json`: what the SPA reads before anything else. The stack writes it on AWS
 * (infra/components/frontend.ts) and `npm start` serves it (src/entrypoints/local/local-routes.ts),
 * both from this type. Served with `Cache-Control: no-cache`, so a browser never keeps an old one.
 */

export const authConfig = z.discriminatedUnion('mode', [
  /** `npm start`: sign in with any name (`POST /local-auth/token`). */
  z.strictObject({ mode: z.literal('local') }),
  z.strictObject({
    mode: z.literal('cognito'),
    region: z.string(),
    userPoolId: z.string(),
    clientId: z.string(),
    /** A Cognito stand-in (the tests' moto_server); absent on AWS. */
    endpoint: z.url().optional(),
    /**
     * Anyone (or anyone at an allowed domain) may create an account; false: invitation only.
     * Stacks from before this field offered sign-up: absent means true.
     */
    selfSignUp: z.boolean().optional(),
  }),
]);
export type AuthConfig = z.output<typeof authConfig>;

/** The chat model, for what the SPA shows under each answer: its cost and how full the context was. */
export const modelInfo = z.strictObject({
  id: z.string(),
  contextWindowTokens: z.number().int().positive(),
  /** USD per million tokens, as budgets count them. */
  pricing: z.strictObject({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative(), currency: z.string() }).optional(),
});
export type ModelInfo = z.output<typeof modelInfo>;

/**
 * What the SPA needs to know before it sends a file: the largest it may send inline, and the
 * extensions the server reads (the file picker offers those; the server checks again, by content).
 */
export const fileRules = z.strictObject({
  /** `MAX_INLINE_FILE_BYTES`: larger files go through `POST /files/uploads`. */
  maxInlineBytes: z.number().int().positive(),
  /** Lower case, no dot, by the kind they are read as. */
  extensions: z.record(z.enum(FILE_TYPES), z.array(z.string().regex(/^[a-z0-9]+$/)).readonly()),
});
export type FileRules = z.output<typeof fileRules>;

export const siteConfig = z.strictObject({
  /** Where the API is: `/api` on AWS (same origin, through CloudFront), the server's own URL locally. */
  apiUrl: z.string(),
  auth: authConfig,
  model: modelInfo.optional(),
  /** Absent from stacks older than it: the SPA then sends up to 4 MiB inline and offers any file. */
  files: fileRules.optional(),
});
export type SiteConfig = z.output<typeof siteConfig>;
