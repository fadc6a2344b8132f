import type { Writable } from 'node:stream';
import type { StreamingHandler } from '../handlers/chat.js';

/** Globals the Lambda Node.js runtime provides to response-streaming functions. */
declare global {
  const awslambda: {
    streamifyResponse(handler: StreamingHandler): StreamingHandler;
    HttpResponseStream: {
      from(stream: Writable, prelude: { statusCode: number; headers?: Record<string, string> }): Writable;
    };
  };
}
