import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { contentTypeOf } from '../http/content-types.js';

/**
 * The built SPA (web/dist) as CloudFront serves it: files with their types, hashed assets cached
 * for a year, index.html never cached, and paths without a file extension (the SPA's own routes,
 * such as /c/:id) answered with index.html. Nothing outside the folder can be reached.
 */
export function serveStaticSite(req: IncomingMessage, res: ServerResponse, distDir: string, pathname: string): void {
  const root = resolve(distDir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><title>Not built</title><p>The web app is not built yet: run <code>npm run build:web</code>, or start with <code>npm start</code>, which builds it.</p>');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const candidate = normalize(join(root, decoded));
  const inside = candidate === root || candidate.startsWith(root + sep);
  const isFile = inside && existsSync(candidate) && statSync(candidate).isFile();
  const hasExtension = extname(decoded) !== '';
  if (!isFile && hasExtension) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('Not found');
    return;
  }
  const file = isFile ? candidate : index;
  const immutable = isFile && decoded.startsWith('/assets/');
  const headers = {
    'Content-Type': contentTypeOf(extname(file)),
    'Content-Length': statSync(file).size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
