/**
 * The HTTP API (README, "Try it with curl"), and which Lambda serves each route. The local server routes
 * with this table and the Pulumi program builds API Gateway from it, so the two cannot drift.
 */
export type FunctionName = 'health' | 'chat' | 'conversations' | 'files' | 'fileProcessor' | 'usage';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway resource path, `{id}` for a path parameter. */
  resource: string;
  function: FunctionName;
  /** Reachable without a token. */
  public?: true;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', resource: '/health', function: 'health', public: true },
  { method: 'POST', resource: '/chat', function: 'chat' },
  { method: 'GET', resource: '/chat/streams/{messageId}', function: 'chat' },
  { method: 'POST', resource: '/chat/streams/{messageId}/stop', function: 'chat' },
  { method: 'GET', resource: '/conversations', function: 'conversations' },
  { method: 'GET', resource: '/conversations/{id}', function: 'conversations' },
  { method: 'PATCH', resource: '/conversations/{id}', function: 'conversations' },
  { method: 'DELETE', resource: '/conversations/{id}', function: 'conversations' },
  { method: 'GET', resource: '/files', function: 'files' },
  { method: 'POST', resource: '/files', function: 'fileProcessor' },
  { method: 'POST', resource: '/files/uploads', function: 'files' },
  { method: 'GET', resource: '/files/{id}', function: 'files' },
  { method: 'DELETE', resource: '/files/{id}', function: 'files' },
  { method: 'POST', resource: '/files/{id}/process', function: 'fileProcessor' },
  { method: 'GET', resource: '/usage', function: 'usage' },
  { method: 'GET', resource: '/admin/usage', function: 'usage' },
  { method: 'PUT', resource: '/admin/users/{userId}/limit', function: 'usage' },
];

export const routeKey = (method: string, resource: string): string => `${method} ${resource}`;

/**
 * Answered as a stream (SSE through API Gateway's response streaming): every route of the chat
 * function, an answer, its resume, and its stop (a short JSON answer, from the same streaming
 * function). API Gateway integrates them that way, and their latency is the answer's length, not a
 * fault (monitoring).
 */
export const isStreamed = (route: ApiRoute): boolean => route.function === 'chat';

export interface RouteMatch {
  route: ApiRoute;
  pathParameters: Record<string, string> | null;
}

/** Each route's resource cut into segments once; `name` is set for a `{name}` segment. */
const PARSED_ROUTES = API_ROUTES.map((route) => ({
  route,
  parts: route.resource
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith('{') && part.endsWith('}') ? { name: part.slice(1, -1) } : { literal: part })),
}));
type ParsedRoute = (typeof PARSED_ROUTES)[number];

/**
 * Finds the resource a path belongs to, literal segments before parameters (as API Gateway does:
 * `/files/uploads` is not `/files/{id}`). `methods` lists what the path allows, for a 405.
 */
export function matchPath(method: string, path: string): { match?: RouteMatch; methods: string[] } {
  const segments = path.split('/').filter(Boolean);
  // The resource with the fewest parameters wins; every route of that resource is a candidate.
  let best: { resource: string; paramCount: number } | undefined;
  const candidates: Array<{ route: ApiRoute; params: Record<string, string> }> = [];
  for (const parsed of PARSED_ROUTES) {
    const params = matchResource(parsed, segments);
    if (!params) continue;
    const paramCount = Object.keys(params).length;
    if (!best || paramCount < best.paramCount) best = { resource: parsed.route.resource, paramCount };
    candidates.push({ route: parsed.route, params });
  }
  const sameResource = candidates.filter((candidate) => candidate.route.resource === best?.resource);
  const found = sameResource.find((candidate) => candidate.route.method === method);
  const methods = sameResource.map((candidate) => candidate.route.method);
  if (!found) return { methods };
  const hasParams = Object.keys(found.params).length > 0;
  return { match: { route: found.route, pathParameters: hasParams ? found.params : null }, methods };
}

function matchResource({ parts }: ParsedRoute, segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const segment = segments[index]!;
    if (part.name !== undefined) {
      try {
        params[part.name] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part.literal !== segment) {
      return undefined;
    }
  }
  return params;
}
