import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { warmUpAtInit, type WarmUp } from '../../src/entrypoints/lambda/warm-up.js';

const ON_LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'chat' };
const silent = () => new Logger({ logLevel: 'SILENT' });

describe('warmUpAtInit', () => {
  afterEach(() => vi.useRealTimers());

  it('runs every step on Lambda, and none elsewhere (tests, npm start)', async () => {
    const ran: string[] = [];
    const steps: WarmUp[] = ['keys', 'dynamodb'].map((name) => ({ name, run: async () => void ran.push(name) }));
    await warmUpAtInit(steps, silent(), {});
    expect(ran).toEqual([]);
    await warmUpAtInit(steps, silent(), ON_LAMBDA);
    expect(ran).toEqual(['keys', 'dynamodb']);
  });

  it('logs a step that fails and goes on: the first request does that work again', async () => {
    const logger = silent();
    const warn = vi.spyOn(logger, 'warn');
    let other = false;
    await warmUpAtInit(
      [
        { name: 'Cognito keys', run: () => Promise.reject(new Error('unreachable')) },
        { name: 'other', run: async () => void (other = true) },
      ],
      logger,
      ON_LAMBDA,
    );
    expect(other).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('warm-up failed'), expect.objectContaining({ step: 'Cognito keys' }));
  });

  it('does not hold the init past its budget for a step that hangs', async () => {
    vi.useFakeTimers();
    let finished = false;
    const warming = warmUpAtInit([{ name: 'hangs', run: () => new Promise<void>(() => {}) }], silent(), ON_LAMBDA).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1_500);
    await warming;
    expect(finished).toBe(true);
  });
});

/**
 * The chat function's cold start on Lambda: the pool's keys (a stand-in JWKS endpoint, as moto
 * serves them) are fetched in the init phase, before any request.
 */
describe('a cold start on Lambda with Cognito sign-in', () => {
  let jwks: Server;
  const fetched: string[] = [];

  beforeAll(async () => {
    // One stand-in for the three services: it notes each call and answers it with an empty success.
    jwks = createServer((req, res) => {
      const target = req.headers['x-amz-target'];
      fetched.push(`${req.method} ${typeof target === 'string' ? target : (req.url ?? '')}`);
      res.writeHead(200, { 'Content-Type': req.headers['x-amz-target'] ? 'application/x-amz-json-1.0' : 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(req.headers['x-amz-target'] ? { Endpoints: [] } : { keys: [] }));
    });
    await new Promise<void>((listening) => jwks.listen(0, '127.0.0.1', listening));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
    await new Promise((closed) => jwks.close(closed));
  });

  it('fetches the keys and opens the connections to DynamoDB and S3 at init, so the first request waits for none of them', async () => {
    vi.resetModules();
    const env = {
      STORE: 'aws',
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: 'eu-west-1_warm',
      COGNITO_CLIENT_ID: 'warm-client',
      COGNITO_ENDPOINT: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      AWS_REGION: 'eu-west-1',
      CHAT_HISTORY_TABLE: 'chat-history',
      FILE_METADATA_TABLE: 'file-metadata',
      USAGE_TABLE: 'usage',
      UPLOAD_BUCKET: 'uploads',
      MODEL_PROVIDER: 'offline',
      LOG_LEVEL: 'SILENT',
      AWS_LAMBDA_FUNCTION_NAME: 'chat',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'warm-up',
      AWS_SECRET_ACCESS_KEY: 'warm-up',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubGlobal('awslambda', { streamifyResponse: (handler: unknown) => handler, HttpResponseStream: { from: (stream: unknown) => stream } });
    const { handler } = await import('../../src/entrypoints/lambda/chat.js');
    expect(handler).toBeTypeOf('function');
    expect(fetched.sort()).toEqual(['GET /eu-west-1_warm/.well-known/jwks.json', 'HEAD /uploads/', 'POST DynamoDB_20120810.DescribeEndpoints']);
  });
});
