import type * as z from 'zod';
import type { ApiEvent } from './api-types.js';
import { HttpError } from './http-error.js';

/** A request header, whatever the case of its name (API Gateway passes them as the client sent them). */
export function header(event: ApiEvent, name: string): string | undefined {
  const headers = event.headers;
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const key in headers) {
    // Names of another length cannot match: most are skipped without lower-casing them.
    if (key.length !== wanted.length || key.toLowerCase() !== wanted) continue;
    const value = headers[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function bearerToken(event: ApiEvent): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '');
  return match?.[1];
}

/** True when the client accepts `text/event-stream` (and did not give it `q=0`). */
export function wantsEventStream(event: ApiEvent): boolean {
  return (header(event, 'accept') ?? '')
    .toLowerCase()
    .split(',')
    .some((range) => {
      const [type, ...params] = range.split(';').map((part) => part.trim());
      return type === 'text/event-stream' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
    });
}

/**
 * Parses and checks a JSON body; every problem is a 400 that names the field. `code` is the
 * error's code when the body is JSON but not what the schema wants (a body of one value names it).
 */
export function parseBody<T extends z.ZodType>(event: ApiEvent, schema: T, code = 'VALIDATION_FAILED'): z.output<T> {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') {
    throw new HttpError(400, 'MISSING_BODY', 'The request needs a JSON body.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  return check(schema, json, 'body', code);
}

export function parseQuery<T extends z.ZodType>(event: ApiEvent, schema: T): z.output<T> {
  return check(schema, event.queryStringParameters ?? {}, 'query', 'VALIDATION_FAILED');
}

/** A path id: anything but a plausible id is "not found", exactly as an id that does not exist. */
export function pathId(event: ApiEvent, notFound: () => Error): string {
  const id = event.pathParameters?.id;
  if (!id || !/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw notFound();
  return id;
}

function check<T extends z.ZodType>(schema: T, value: unknown, where: string, code: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : where}: ${issue.message}`)
    .join('; ');
  throw new HttpError(400, code, `The request ${where} is not valid. ${details}.`);
}
