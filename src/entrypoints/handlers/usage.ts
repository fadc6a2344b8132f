import { DomainError } from '../../domain/errors.js';
import type { UserIdentity } from '../../domain/ports/token-verifier.js';
import type { AppServices } from '../container.js';
import { createApiHandler } from '../http/api-handler.js';
import type { ApiEvent, ApiHandler } from '../http/api-types.js';
import { HttpError } from '../http/http-error.js';
import { parseBody, parseQuery } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { limitBody, monthReportQuery } from '../../contract/requests.js';

/** The Cognito group (locally: LOCAL_ADMINS) whose members see and limit everyone's spending. */
export const ADMINS_GROUP = 'admins';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

const isAdmin = (identity: UserIdentity): boolean => identity.groups.includes(ADMINS_GROUP);

/** Checked after sign-in and before anything in the request is read: a user learns nothing else. */
function requireAdmin(identity: UserIdentity): void {
  if (!isAdmin(identity)) throw new DomainError('forbidden', 'FORBIDDEN', 'Only admins can do this.');
}

/** `limit` of the admins' table: how many users a page holds. */
function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(size >= 1 && size <= MAX_PAGE_SIZE)) {
    throw new HttpError(400, 'INVALID_LIMIT_PARAMETER', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

/**
 * The user an admin limits. Users are not listed anywhere the edge can see (a month's table shows
 * only those who spent), so any id of the shape ids have is taken: its limit waits for its user.
 */
function targetUserId(event: ApiEvent): string {
  const userId = event.pathParameters?.userId;
  if (!userId || !/^[A-Za-z0-9_-]{1,128}$/.test(userId)) {
    throw new HttpError(400, 'INVALID_USER_ID', 'The user id must be one the usage table shows.');
  }
  return userId;
}

/** `/usage` (the user's own month) and `/admin/*` (everyone's, and the limits on them). */
export function createUsageHandler(services: Pick<AppServices, 'config' | 'logger' | 'verifier' | 'usage'>): ApiHandler {
  const { usage } = services;
  return createApiHandler(services, {
    'GET /usage': async ({ identity }) => {
      const summary = await usage.summary(identity.userId);
      // `admin` tells the SPA whether to offer the admins' page; the routes check it again.
      return jsonResponse(200, { ...summary, admin: isAdmin(identity) });
    },
    'GET /admin/usage': async ({ event, identity }) => {
      requireAdmin(identity);
      const query = parseQuery(event, monthReportQuery);
      const limit = pageSize(query.limit);
      const report = await usage.monthReport(query.month, { limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
      return jsonResponse(200, report);
    },
    'PUT /admin/users/{userId}/limit': async ({ event, identity }) => {
      requireAdmin(identity);
      const userId = targetUserId(event);
      const { limitUsd } = parseBody(event, limitBody, 'INVALID_LIMIT');
      return jsonResponse(200, { userId, ...(await usage.setLimit(userId, limitUsd)) });
    },
  });
}
