import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoDbClient } from '../../adapters/aws/clients.js';
import { ensureTables } from '../../adapters/aws/ensure-resources.js';
import type { AppServices, Overrides } from '../container.js';
import { EMBEDDED_CREDENTIALS } from '../embedded-credentials.js';
import { loadConfig } from '../config.js';
import { servicesFromAllFamilies } from '../modules/all-families.js';
import { createChatStreamHandler, type ChatHandlerOptions } from '../handlers/chat.js';
import { createConversationsHandler } from '../handlers/conversations.js';
import { createFileProcessorHandler } from '../handlers/file-processor.js';
import { createFilesHandler } from '../handlers/files.js';
import { createHealthHandler } from '../handlers/health.js';
import { createUsageHandler } from '../handlers/usage.js';
import type { ApiHandler } from '../http/api-types.js';
import { HttpError, toErrorReply } from '../http/http-error.js';
import { errorBody } from '../http/responses.js';
import { matchPath, type FunctionName, type RouteMatch } from '../http/routes.js';
import { readBody, sendJson } from './http-io.js';
import { startEmbeddedStores, type EmbeddedStores } from './embedded-stores.js';
import { issueLocalToken, receiveUpload, serveConfig } from './local-routes.js';
import { loadConfiguredModel } from '../modules/load-model-module.js';
import { toProxyEvent, type RequestTarget } from './proxy-event.js';
import { LocalResponseStream, localHttpResponseStream } from './response-stream.js';
import { prepareStandInStores } from './stand-in-stores.js';
import { serveStaticSite } from './static-site.js';

/** The built SPA, served on the API's port as CloudFront serves it on AWS. */
const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));
/**
 * First path segments that belong to the API (or to the local stand-ins): never the SPA's. Not
 * `admin`: the SPA's admin page is `/admin`, beside the API's `/admin/...` routes (a path that
 * matches no route there is the SPA's, as on AWS, where the API lives under `/api`).
 */
const API_ROOTS = new Set(['chat', 'conversations', 'files', 'health', 'usage', 'local-auth', 'local-uploads']);

export interface LocalServerOptions {
  /** Environment to read the configuration from (default: process.env). `STORE` defaults to `memory` here. */
  env?: Record<string, string | undefined>;
  /** 0 picks a free port. Default: `PORT` from env, else 3000. */
  port?: number;
  overrides?: Overrides;
  /** The built SPA to serve (default web/dist). */
  webDist?: string;
  /** The chat streams' timings (tests shorten them). */
  chat?: ChatHandlerOptions;
}

export interface LocalServer {
  url: string;
  services: AppServices;
  close(): Promise<void>;
}

/** Lambda's request payload limit: the local server refuses what AWS would refuse. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

/** Headers CloudFront's response headers policy adds in production (infra/components/frontend.ts). */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Browsers ignore it over plain HTTP; it is here so that the local answers match CloudFront's.
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
};

/** CloudFront's CSP, with the places this server sends the browser to instead of AWS's. */
function contentSecurityPolicy(connectTo: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Style attributes (KaTeX positions formulas with them), but no <style> element: injected
    // CSS with selectors is how a page's text leaks without script.
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectTo].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Only requests addressed to this machine by name: a web page cannot reach the local API by
 * pointing a DNS name of its own at 127.0.0.1 (DNS rebinding), as local sign-in needs no password.
 */
function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * The whole app on one port of 127.0.0.1: each API request becomes an API Gateway proxy event for
 * the same handler a Lambda runs; `POST /chat` goes through the streaming handler.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const env = options.env ?? process.env;
  const port = options.port ?? Number(env.PORT ?? 3000);
  const server = createServer();
  // Requests that arrive while the stores start get a clear answer instead of waiting forever.
  const starting = (_req: IncomingMessage, res: ServerResponse) =>
    sendJson(res, 503, { error: { code: 'STARTING', message: 'The server is starting. Try again in a moment.', requestId: randomUUID() } }, { 'Retry-After': '1' });
  server.on('request', starting);
  await listen(server, port);
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${boundPort}`;
  const ownHosts = loopbackHosts(boundPort);
  const webDist = options.webDist ?? DEFAULT_WEB_DIST;

  let services: AppServices;
  let embedded: EmbeddedStores | undefined;
  try {
    const config = loadConfig({ PUBLIC_URL: url, STORE: 'memory', ...env });
    // Before the stores start: a module that does not load stops the start at once. An override replaces it unloaded.
    if (!options.overrides?.model) await loadConfiguredModel(config, env);
    if (config.store.kind === 'embedded') {
      embedded = await startEmbeddedStores({ dataDir: config.store.dataDir, buckets: [config.store.uploadBucket] });
      Object.assign(config.store, { dynamoDbEndpoint: embedded.dynamoDbEndpoint, s3Endpoint: embedded.s3Endpoint });
      await ensureTables(createDynamoDbClient({ ...config.store, credentials: EMBEDDED_CREDENTIALS }), {
        chatHistory: config.store.chatHistoryTable,
        fileMetadata: config.store.fileMetadataTable,
        usage: config.store.usageTable,
      });
    } else if (config.store.kind === 'aws') {
      await prepareStandInStores(config.store);
    }
    // One process serves every route: every family is there, and the configuration picks among them.
    services = servicesFromAllFamilies(config, options.overrides);
  } catch (error) {
    server.close();
    await embedded?.close();
    throw error;
  }
  const handlers: Record<Exclude<FunctionName, 'chat'>, ApiHandler> = {
    health: createHealthHandler(services.config.originVerifySecret),
    conversations: createConversationsHandler(services),
    files: createFilesHandler(services),
    fileProcessor: createFileProcessorHandler(services),
    usage: createUsageHandler(services),
  };
  const chat = createChatStreamHandler(services, localHttpResponseStream, options.chat);

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const method = req.method ?? 'GET';
    const url_ = requestUrl(req.url, url);
    const path = url_.pathname;
    if (method === 'GET' && path === '/config.json') return serveConfig(res, services, url);
    if (method === 'POST' && path === '/local-auth/token') return issueLocalToken(req, res, services);
    const upload = /^\/local-uploads\/([A-Za-z0-9_-]+)$/.exec(path);
    if (method === 'PUT' && upload) return receiveUpload(req, res, services, upload[1]!);

    const { match, methods } = matchPath(method, path);
    if (match) return callHandler(req, res, url_, match, requestId);
    if (methods.length > 0) {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${methods.join(' or ')}.`);
    }
    const apiPath = API_ROOTS.has(path.split('/')[1] ?? '');
    if (!apiPath && (method === 'GET' || method === 'HEAD')) return serveStaticSite(req, res, webDist, path);
    throw new HttpError(404, 'ROUTE_NOT_FOUND', `There is no ${method} ${path}.`);
  }

  /** The chat function's requests under way: close() lets them store what they have first. */
  const inFlight = new Set<Promise<void>>();

  async function callHandler(req: IncomingMessage, res: ServerResponse, url_: RequestTarget, match: RouteMatch, requestId: string) {
    const body = await readBody(req, MAX_EVENT_BYTES);
    const event = toProxyEvent(req, url_, body, match, requestId);
    if (match.route.function === 'chat') {
      const handling = chat(event, new LocalResponseStream(res));
      inFlight.add(handling);
      try {
        await handling;
      } finally {
        inFlight.delete(handling);
      }
      return;
    }
    const result = await handlers[match.route.function](event);
    const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
    res.writeHead(result.statusCode, { ...result.headers, 'Content-Length': payload.length } as Record<string, string | number>);
    res.end(payload);
  }

  const { auth } = services.config;
  const cognitoEndpoint = auth.mode === 'cognito' ? (auth.endpoint ?? `https://cognito-idp.${auth.region}.amazonaws.com`) : undefined;
  const csp = contentSecurityPolicy([...(embedded ? [embedded.s3Endpoint] : []), ...(cognitoEndpoint ? [cognitoEndpoint] : [])]);
  server.off('request', starting);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', csp);
    if (!ownHosts.has(req.headers.host?.toLowerCase() ?? '')) {
      sendJson(res, 421, { error: { code: 'HOST_NOT_ALLOWED', message: 'This server answers requests to 127.0.0.1 or localhost only.', requestId } });
      req.resume();
      return;
    }
    route(req, res, requestId).catch((error: unknown) => {
      const reply = toErrorReply(error);
      if (!reply.expected) services.logger.error('local server failed', { requestId, error: error as Error });
      if (reply.status === 413) res.setHeader('Connection', 'close');
      sendJson(res, reply.status, errorBody(reply, requestId), { 'X-Request-Id': requestId });
      if (!req.complete) req.resume();
    });
  });
  // Requests Node cannot parse (a head over 16 KB, broken syntax) still get the JSON error shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const requestId = randomUUID();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'REQUEST_HEADERS_TOO_LARGE', message: 'The request line or headers are too large.', requestId }
        : { code: 'BAD_REQUEST', message: 'The request is not valid HTTP.', requestId },
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  return {
    url,
    services,
    close: async () => {
      // A client that goes away no longer stops its answer: the server does, as it goes itself.
      services.liveAnswers.stopAll();
      // The stopped answers store their part and their stream's status: before the stores close
      // under them, and bounded, so that a stuck request cannot hold the server open.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => (waited = setTimeout(resolve, CLOSE_WAIT_MS))),
      ]);
      clearTimeout(waited);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await embedded?.close();
    },
  };
}

/** The longest close() waits for answers under way to store what they have. */
const CLOSE_WAIT_MS = 5000;

/** A path of plain segments, with no query, dot, escape or backslash: it is its own normal form. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)+$|^\/$/;

/**
 * The request's URL. Only origin-form targets (`/path?query`) are served: `//x` would otherwise be
 * read as a host name and an absolute URL as a proxy request. A plain path (every API call but a
 * list's) is taken as it is; anything else is normalised by the URL parser.
 */
function requestUrl(target: string | undefined, base: string): RequestTarget {
  if (!target?.startsWith('/') || target.startsWith('//')) {
    throw new HttpError(400, 'BAD_REQUEST', 'The request target must be a path such as /conversations.');
  }
  if (PLAIN_PATH.test(target)) return { pathname: target, searchParams: new URLSearchParams() };
  try {
    return new URL(target, base);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The request target is not a valid path.');
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
