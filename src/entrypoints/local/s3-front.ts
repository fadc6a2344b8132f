import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EMBEDDED_CREDENTIALS } from '../embedded-credentials.js';
import { checkPresignedRequest } from './presigned-url-check.js';
import { ConditionalWrites } from './s3-conditional-writes.js';

/**
 * The embedded S3 endpoint: checks presigned requests as S3 would (s3rver does not check V4
 * signatures) and honours conditional writes (nor does it know `If-None-Match`), then passes
 * every request on to s3rver unchanged.
 */
export function createPresignCheckingProxy(s3rverPort: number): Server {
  const conditionalWrites = new ConditionalWrites(s3rverPort);
  return createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const origin = req.headers.origin;
    // Browsers may PUT presigned uploads from pages of this machine only, as the bucket's CORS
    // rule allows the site's origin only on AWS.
    const corsOrigin = origin && LOOPBACK_ORIGIN.test(origin) ? origin : undefined;
    if (req.method === 'OPTIONS') {
      res.writeHead(corsOrigin ? 204 : 403, {
        ...(corsOrigin && {
          'Access-Control-Allow-Origin': corsOrigin,
          'Access-Control-Allow-Methods': 'PUT, GET',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type',
          'Access-Control-Max-Age': '600',
        }),
        Vary: 'Origin',
      });
      res.end();
      req.resume();
      return;
    }
    if (origin && !corsOrigin) {
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessForbidden</Code><Message>CORS: this origin is not allowed</Message></Error>');
      req.resume();
      return;
    }
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'Content-Type': 'application/xml', ...(corsOrigin && { 'Access-Control-Allow-Origin': corsOrigin }), Connection: 'close' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
      req.resume();
    };
    if (target.includes('X-Amz-Signature=')) {
      const check = checkPresignedRequest({ method: req.method ?? 'GET', target, headers: req.headers }, EMBEDDED_CREDENTIALS);
      if (!check.ok) return refuse(403, check.code, check.message);
    }
    if (ConditionalWrites.applies(req)) {
      const claim = await conditionalWrites.claim(target).catch(() => undefined);
      if (!claim) return refuse(503, 'ServiceUnavailable', 'The embedded S3 did not answer.');
      if (!claim.ok) return refuse(claim.status, claim.code, claim.message);
      res.once('close', claim.release);
    }
    const upstream = request(
      { host: '127.0.0.1', port: s3rverPort, method: req.method, path: target, headers: req.headers },
      (response) => {
        const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !name.startsWith('access-control-')));
        res.writeHead(response.statusCode ?? 502, { ...headers, ...(corsOrigin && { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' }) });
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
