import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/entrypoints/local/server.js';

/** Raw HTTP, so that a test can send the Host header a browser would (fetch forbids setting it). */
function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const target = new URL(url);
    const req = request({ hostname: target.hostname, port: target.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local server serves the SPA as CloudFront does', () => {
  let dist: string;
  let server: LocalServer;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dist, 'assets', 'app-3f9a.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'secret.txt'), 'not for the web');
    server = await startLocalServer({ port: 0, env: { LOG_LEVEL: 'SILENT' }, webDist: dist });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers / and the SPA routes with index.html, never cached', async () => {
    for (const path of ['/', '/c/0f8e2d', '/sign-in']) {
      const response = await get(server.url, path);
      expect(response.status, path).toBe(200);
      expect(response.body).toContain('<title>app</title>');
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with their type, cached for a year, and HEAD without a body', async () => {
    const response = await get(server.url, '/assets/app-3f9a.js');
    expect(response).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const head = await get(server.url, '/assets/app-3f9a.js', {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('14');
  });

  it('answers a missing file 404, and nothing outside the folder', async () => {
    expect((await get(server.url, '/assets/missing.js')).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await get(server.url, path);
      expect(response.body, path).not.toContain('not for the web');
    }
  });

  it('keeps API paths for the API: JSON errors, never the SPA', async () => {
    const unauthorised = await get(server.url, '/conversations');
    expect(unauthorised.status).toBe(401);
    expect(JSON.parse(unauthorised.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const unknown = await get(server.url, '/files/a/b/c');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('sends CloudFront’s security headers with a CSP on every answer', async () => {
    const response = await get(server.url, '/');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const rebound = await get(server.url, '/config.json', { Host: `evil.example:${port}` });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    expect((await get(server.url, '/config.json', { Host: `localhost:${port}` })).status).toBe(200);
  });

  it('says how to build the app when there is no build', async () => {
    const bare = await startLocalServer({ port: 0, env: { LOG_LEVEL: 'SILENT' }, webDist: join(dist, 'nothing-here') });
    try {
      const response = await get(bare.url, '/');
      expect(response.status).toBe(503);
      expect(response.body).toContain('npm run build:web');
    } finally {
      await bare.close();
    }
  });
});
