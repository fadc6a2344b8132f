import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { UNKNOWN_UPLOAD_URL } from '../../adapters/blob-store/memory-blob-store.js';
import type { AppServices } from '../container.js';
import type { AuthConfig, ModelInfo, SiteConfig } from '../../contract/config.js';
import { HttpError } from '../http/http-error.js';
import { fileRulesOf } from '../http/site-config.js';
import { readBody, sendJson } from './http-io.js';

/**
 * Routes that exist only in the local server: the SPA's configuration, local sign-in, and the
 * target of imitated presigned uploads. None of them exists on AWS.
 */

export function serveConfig(res: ServerResponse, services: AppServices, apiUrl: string): void {
  const { auth } = services.config;
  const authConfig: AuthConfig =
    auth.mode === 'local'
      ? { mode: 'local' }
      : { mode: 'cognito', region: auth.region, userPoolId: auth.userPoolId, clientId: auth.clientId, ...(auth.endpoint && { endpoint: auth.endpoint }) };
  // The prices the stack publishes (input and output): cache prices stay server-side, for budgets.
  const { inputPerMTok, outputPerMTok, currency } = services.config.pricing;
  const pricing = { inputPerMTok, outputPerMTok, currency };
  // The bound model's own id and window: the one that answers, whichever adapter made it.
  const { modelId, limits } = services.model;
  const modelInfo: ModelInfo = { id: modelId, contextWindowTokens: limits.contextWindowTokens, pricing };
  // As the stack writes it on AWS (infra/components/frontend.ts), from the same contract type.
  const config: SiteConfig = { apiUrl, auth: authConfig, model: modelInfo, files: fileRulesOf(services.config.files) };
  // As CloudFront serves it: revalidated on every use, so a browser never keeps an old one.
  sendJson(res, 200, config, { 'Cache-Control': 'no-cache' });
}

const TokenRequest = z
  .object({
    // Any name a person goes by ("Élodie Martin"): the user id is derived from it (stableUserId).
    username: z
      .string('must be a string')
      .transform(displayName)
      .pipe(
        z
          .string()
          .min(1, 'must not be empty')
          .max(64, 'must be at most 64 characters')
          .regex(/^[^\p{C}]+$/u, 'must not hold control or invisible characters'),
      ),
  })
  .strict();

/** The same name however it was typed: Unicode composed one way, spaces trimmed and folded. */
function displayName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

export async function issueLocalToken(req: IncomingMessage, res: ServerResponse, services: AppServices): Promise<void> {
  if (!services.localIssuer) throw new HttpError(404, 'ROUTE_NOT_FOUND', 'Local sign-in is off: this server uses Cognito.');
  const raw = await readBody(req, 16 * 1024);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  const parsed = TokenRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'VALIDATION_FAILED', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.`);
  }
  sendJson(res, 200, services.localIssuer.issue(parsed.data.username));
}

export async function receiveUpload(req: IncomingMessage, res: ServerResponse, services: AppServices, token: string): Promise<void> {
  const uploads = services.localUploads;
  const limit = uploads?.maxPendingUploadSize(token);
  if (!uploads || limit === undefined) throw new HttpError(403, 'UPLOAD_URL_INVALID', UNKNOWN_UPLOAD_URL);
  const bytes = await readBody(req, limit);
  const outcome = await uploads.receiveUpload(token, req.headers['content-type'] ?? '', bytes);
  if (!outcome.ok) throw new HttpError(outcome.status, outcome.code, outcome.message);
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
}
