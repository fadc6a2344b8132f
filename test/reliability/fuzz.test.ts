import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentTextExtractor } from '../../src/adapters/text-extractor/document-text-extractor.js';
import { DomainError } from '../../src/domain/errors.js';
import { loadConfig } from '../../src/entrypoints/config.js';
import { makeDocx, makePdf } from '../text-extractor/documents.js';
import { startTestServer, type TestServer } from '../support/http-client.js';

/** Seeded, so a failure replays: `FUZZ_SEED=... npx vitest run test/reliability/fuzz.test.ts`. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

describe('fuzzing the HTTP edge', () => {
  let server: TestServer;
  let token: string;
  /** An admin's token too: the admins' routes read their queries and bodies only for admins. */
  let adminToken: string;
  beforeAll(async () => {
    // A built SPA of its own: the suite must not depend on whether web/dist was built first.
    const webDist = mkdtempSync(join(tmpdir(), 'fuzz-web-'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>app</title>');
    server = await startTestServer({ webDist, env: { LOCAL_ADMINS: 'fuzz-admin' } });
    token = await server.signIn('fuzzer');
    adminToken = await server.signIn('fuzz-admin');
  });
  afterAll(() => server.close());

  const segment = fc.oneof(
    fc.constantFrom('chat', 'conversations', 'files', 'uploads', 'process', 'health', 'config.json', 'local-auth', 'token', 'local-uploads', 'usage', 'admin', 'users', 'limit'),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
    fc.uuid(),
  );
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
  /** Names of Object.prototype members: a map built on a plain object finds them inherited. */
  const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
  // Pairs, not a dictionary: fast-check's dictionaries may hold `__proto__` as an own key, which
  // URLSearchParams and a headers object would then lose.
  const query = fc.option(fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', 'month', 'x', '', ...prototypeNames), fc.string({ maxLength: 30 })), { maxLength: 3 }), { nil: undefined });
  const extraHeaders = fc.array(fc.tuple(fc.constantFrom(...prototypeNames, 'x-custom'), fc.stringMatching(/^[\x21-\x7e]{0,20}$/)), { maxLength: 3 });
  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ message: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), conversationId: fc.option(fc.string()), fileIds: fc.option(fc.array(fc.string())) }),
    fc.record({ fileName: fc.string(), contentType: fc.string(), data: fc.oneof(fc.base64String(), fc.string()), size: fc.oneof(fc.integer(), fc.double()) }),
    fc.record({ title: fc.oneof(fc.string(), fc.integer()) }),
    fc.record({ limitUsd: fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.string()) }),
  );
  const body = fc.option(fc.oneof(json.map((value) => JSON.stringify(value)), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), { nil: undefined });

  it('never answers 5xx, always with the JSON error shape, to random requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'),
        path,
        query,
        body,
        fc.constantFrom('valid', 'admin', 'garbage', 'none'),
        fc.constantFrom('application/json', 'text/plain', 'text/event-stream', ''),
        extraHeaders,
        async (method, target, params, payload, auth, accept, extra) => {
          const url = params ? `${target}?${new URLSearchParams(params).toString()}` : target;
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          for (const [name, value] of extra) Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
          if (accept) headers.Accept = accept;
          if (auth === 'valid') headers.Authorization = `Bearer ${token}`;
          if (auth === 'admin') headers.Authorization = `Bearer ${adminToken}`;
          if (auth === 'garbage') headers.Authorization = 'Bearer x.y.z';
          const sendsBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
          const response = await server.api(url, { method, headers, ...(sendsBody && { body: payload }) });
          expect(response.status, `${method} ${url} -> ${response.status} ${response.text.slice(0, 200)}`).toBeLessThan(500);
          if (response.status >= 400 && method !== 'HEAD' && response.headers.get('content-type')?.includes('json')) {
            expect(response.json?.error, `${method} ${url}`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          }
        },
      ),
      { seed: SEED, numRuns: 1500, interruptAfterTimeLimit: 25_000 },
    );
    expect((await server.api('/health')).status).toBe(200);
  }, 60_000);
});

describe('fuzzing the extractors', () => {
  const extractor = new DocumentTextExtractor({ ...loadConfig({}).extraction, timeoutMs: 5_000 });
  let seeds: Record<'pdf' | 'docx' | 'csv', Uint8Array>;
  beforeAll(async () => {
    seeds = {
      pdf: await makePdf(['First page of the fuzzing seed.', 'Second page.']),
      docx: await makeDocx({ heading: 'Seed', paragraphs: ['A paragraph.'], bullets: ['one', 'two'], table: [['a', 'b'], ['1', '2']] }),
      csv: new TextEncoder().encode('name,city\n"Ada, Countess",London\nAlan,Wilmslow\n'),
    };
  });

  /** Bytes changed at random places, cut, or grown: what a damaged or hostile upload looks like. */
  const mutated = (kind: 'pdf' | 'docx' | 'csv') =>
    fc
      .record({
        flips: fc.array(fc.record({ at: fc.nat(), to: fc.integer({ min: 0, max: 255 }) }), { maxLength: 20 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
        tail: fc.uint8Array({ maxLength: 64 }),
      })
      .map(({ flips, cut, tail }) => {
        const bytes = Uint8Array.from(seeds[kind]);
        for (const { at, to } of flips) bytes[at % bytes.length] = to;
        const kept = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        return Uint8Array.from([...kept, ...tail]);
      });

  for (const [kind, contentType] of [
    ['pdf', 'application/pdf'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['csv', 'text/csv'],
  ] as const) {
    it(`reads or refuses with a typed error every mutated ${kind.toUpperCase()}, never crashing or hanging`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated(kind), fc.uint8Array({ maxLength: 2048 })), async (bytes) => {
          try {
            const result = await extractor.extract({ bytes, fileName: `fuzz.${kind}`, contentType });
            expect(typeof result.text).toBe('string');
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(DomainError);
          }
        }),
        { seed: SEED, numRuns: kind === 'csv' ? 500 : 200, interruptAfterTimeLimit: 20_000 },
      );
    }, 60_000);
  }
});
