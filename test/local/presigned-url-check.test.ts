import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { checkPresignedRequest } from '../../src/entrypoints/local/presigned-url-check.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const s3 = new S3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });

async function presign(key: string) {
  const url = new URL(
    await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'b', Key: key, ContentType: 'text/plain', ContentLength: 5 }), {
      expiresIn: 60,
      signableHeaders: new Set(['content-type', 'content-length']),
    }),
  );
  return { target: `${url.pathname}${url.search}`, headers: { host: url.host, 'content-type': 'text/plain', 'content-length': '5' } };
}

describe('checkPresignedRequest (what the embedded S3 enforces)', () => {
  it('accepts the request the URL was signed for, including keys that need encoding', async () => {
    for (const key of ['u/f/hello.txt', 'u/f/résumé final (2).txt']) {
      const { target, headers } = await presign(key);
      expect(checkPresignedRequest({ method: 'PUT', target, headers }, credentials)).toEqual({ ok: true });
    }
  });

  it('refuses another key, method, type, size, host, a wrong secret and an expired URL', async () => {
    const { target, headers } = await presign('u/f/hello.txt');
    const refused = [
      checkPresignedRequest({ method: 'PUT', target: target.replace('/u/f/', '/x/f/'), headers }, credentials),
      checkPresignedRequest({ method: 'GET', target, headers }, credentials),
      checkPresignedRequest({ method: 'PUT', target, headers: { ...headers, 'content-type': 'text/html' } }, credentials),
      checkPresignedRequest({ method: 'PUT', target, headers: { ...headers, 'content-length': '6' } }, credentials),
      checkPresignedRequest({ method: 'PUT', target, headers: { ...headers, host: '127.0.0.1:1' } }, credentials),
      checkPresignedRequest({ method: 'PUT', target, headers }, { ...credentials, secretAccessKey: 'other' }),
      checkPresignedRequest({ method: 'PUT', target, headers }, credentials, new Date(Date.now() + 61_000)),
      checkPresignedRequest({ method: 'PUT', target: '/b/u/f/hello.txt?X-Amz-Signature=00', headers }, credentials),
    ];
    for (const result of refused) expect(result.ok).toBe(false);
  });
});
