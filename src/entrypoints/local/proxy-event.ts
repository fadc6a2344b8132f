import type { IncomingMessage } from 'node:http';
import type { ApiEvent } from '../http/api-types.js';
import type { RouteMatch } from '../http/routes.js';

/** What the server reads of a request's URL. */
export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * An HTTP request as API Gateway's REST proxy integration would hand it to a Lambda, so that the
 * local server runs the very handlers that production runs.
 */
export function toProxyEvent(req: IncomingMessage, url: RequestTarget, body: Buffer, match: RouteMatch, requestId: string): ApiEvent {
  // The names come from the client: maps without a prototype, so that a header or parameter named
  // `constructor`, `__proto__` or `toString` is a key like any other, not an inherited member.
  const headers = emptyMap<string>();
  const multiValueHeaders = emptyMap<string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = emptyMap<string>();
  const multiValueQuery = emptyMap<string[]>();
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const method = req.method ?? 'GET';
  return {
    resource: match.route.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: match.pathParameters,
    stageVariables: null,
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      path: url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: match.route.resource,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

/** An object with no prototype, for keys that come from outside. */
const emptyMap = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
