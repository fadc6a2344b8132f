import type { ApiEvent } from '../../src/entrypoints/http/api-types.js';

/** An API Gateway REST proxy event for `POST /chat`, as a Lambda receives it. */
export function chatEvent(idToken: string, body: object, accept = 'text/event-stream'): ApiEvent {
  return {
    resource: '/chat',
    path: '/chat',
    httpMethod: 'POST',
    headers: { Authorization: `Bearer ${idToken}`, Accept: accept, 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: 'test-request' },
  } as unknown as ApiEvent;
}
