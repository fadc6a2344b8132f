import type { ErrorBody } from '../../contract/errors.js';
import type { ApiResult } from './api-types.js';
import type { ErrorReply } from './http-error.js';

export type Headers = Record<string, string>;

export function jsonResponse(statusCode: number, body: unknown, headers: Headers = {}): ApiResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function noContent(headers: Headers = {}): ApiResult {
  return { statusCode: 204, headers: { 'Cache-Control': 'no-store', ...headers }, body: '' };
}

export const errorBody = (reply: ErrorReply, requestId: string): ErrorBody => ({
  error: { code: reply.code, message: reply.message, requestId },
});

export function errorResponse(reply: ErrorReply, requestId: string, headers: Headers = {}): ApiResult {
  const retryAfter: Headers = reply.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.max(0, Math.ceil(reply.retryAfterSeconds))) };
  return jsonResponse(reply.status, errorBody(reply, requestId), { ...headers, ...retryAfter });
}
