import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface PresignedRequest {
  method: string;
  /** The request target as received: path and query string, still percent-encoded. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
}

export type PresignCheck = { ok: true } | { ok: false; code: 'AccessDenied' | 'SignatureDoesNotMatch'; message: string };

const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Checks a SigV4 query-signed (presigned) S3 request as S3 does: the signature must match the
 * method, path, query and signed headers (host, content type and length for our uploads), and the
 * URL must not have expired. s3rver does not check V4 signatures; the embedded S3 puts this in
 * front of it, so a presigned URL locally grants exactly what it grants on AWS.
 */
export function checkPresignedRequest(
  request: PresignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  now: Date = new Date(),
): PresignCheck {
  const url = new URL(request.target, 'http://placeholder');
  const query = url.searchParams;
  const provided = query.get('X-Amz-Signature') ?? '';
  const credential = (query.get('X-Amz-Credential') ?? '').split('/');
  const amzDate = query.get('X-Amz-Date') ?? '';
  const expires = Number(query.get('X-Amz-Expires'));
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  const [accessKeyId, date, region, service] = credential;
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !accessKeyId || !date || !region || !service || !signedHeaders.includes('host')) {
    return { ok: false, code: 'AccessDenied', message: 'The presigned URL is malformed.' };
  }
  if (accessKeyId !== credentials.accessKeyId) return { ok: false, code: 'AccessDenied', message: 'Unknown access key.' };
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!Number.isFinite(signedAt) || !Number.isFinite(expires) || now.getTime() > signedAt + expires * 1000) {
    return { ok: false, code: 'AccessDenied', message: 'Request has expired.' };
  }

  const canonicalQuery = [...query.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const headerValue = (name: string) => {
    // The names come from the URL's X-Amz-SignedHeaders: own entries only, never an inherited member.
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(name)}\n`).join('');
  const canonicalRequest = [
    request.method,
    url.pathname,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(provided, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The request signature does not match: this URL is for another object, type or size.' };
  }
  return { ok: true };
}
