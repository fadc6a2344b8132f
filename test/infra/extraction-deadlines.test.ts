import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entrypoints/config.js';
import { API_ROUTES } from '../../src/entrypoints/http/routes.js';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';

/** API Gateway's own limit for a REST proxy integration that does not set timeoutMilliseconds. */
const GATEWAY_DEFAULT_TIMEOUT_MS = 29_000;
/** What a read's answer needs after the read: a cold start, S3 (a 50 MB upload, its text), DynamoDB. */
const HEADROOM_MS = 5_000;

let registered: Registered[] = [];

beforeAll(async () => {
  registered = await runStackWithMocks();
}, 60_000);

/**
 * A document read that takes too long must end in the app's own 422 EXTRACTION_TIMEOUT, which
 * says what to do, rather than in API Gateway's 504 or a Lambda timeout's 502: the extraction
 * limit the stack gives each extracting function, plus the work around the read, must fit inside
 * both the function's timeout and its integration's.
 */
describe('the deadlines of a document read (Pulumi mocks)', () => {
  const extractingRoutes = API_ROUTES.filter((route) => route.method === 'POST' && route.resource.startsWith('/files') && route.resource !== '/files/uploads');

  it('covers both extracting routes', () => {
    expect(extractingRoutes.map((route) => route.resource).sort()).toEqual(['/files', '/files/{id}/process']);
  });

  it('stops a read early enough for its answer to reach the user, from the function and through the gateway', () => {
    const functions = registered.filter((resource) => resource.type === 'aws:lambda/function:Function');
    const integrations = registered.filter((resource) => resource.type === 'aws:apigateway/integration:Integration');
    for (const route of extractingRoutes) {
      const bundle = route.function.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      const fn = functions.find((resource) => resource.name.endsWith(`-${bundle}`));
      expect(fn, bundle).toBeDefined();
      const extractionMs = loadConfig((fn!.inputs.environment as { variables: Record<string, string> }).variables).extraction.timeoutMs;
      const lambdaMs = (fn!.inputs.timeout as number) * 1000;
      const integration = integrations.find((resource) => resource.inputs.httpMethod === 'POST' && String(resource.inputs.uri).includes(`:${fn!.name}/`));
      expect(integration, `${route.method} ${route.resource}`).toBeDefined();
      const gatewayMs = (integration!.inputs.timeoutMilliseconds as number | undefined) ?? GATEWAY_DEFAULT_TIMEOUT_MS;

      expect(extractionMs + HEADROOM_MS, 'the read and its answer fit in the gateway timeout').toBeLessThanOrEqual(gatewayMs);
      expect(gatewayMs, 'the function outlives the gateway').toBeLessThanOrEqual(lambdaMs);
    }
  });
});
