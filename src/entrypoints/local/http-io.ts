import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../http/http-error.js';

/** Reads a request body, refusing (413) past `limit` bytes without holding more than that. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  // Events rather than `for await`: the async iterator costs more than a small body's whole read.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else finish(tooLarge(limit));
    };
    const onEnd = () => finish();
    const onAborted = () => finish(new Error('the client closed the connection before sending the whole body'));
    function finish(error?: Error) {
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onAborted);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    req.on('data', onData).once('end', onEnd).once('error', finish).once('close', onAborted);
  });
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'REQUEST_TOO_LARGE', `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB.`);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
