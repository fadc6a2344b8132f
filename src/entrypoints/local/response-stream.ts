import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { ResponseStreamFactory } from '../handlers/chat.js';

type Prelude = { statusCode: number; headers?: Record<string, string> };

/**
 * The local stand-in for the response stream Lambda gives a streaming function. When the client
 * disconnects the stream is destroyed, as on Lambda, which is how the handler learns to stop.
 */
export class LocalResponseStream extends Writable {
  constructor(private readonly res: ServerResponse) {
    super();
    res.once('close', () => {
      if (!this.writableFinished) this.destroy();
    });
  }

  sendPrelude(prelude: Prelude): void {
    if (this.res.headersSent) return;
    this.res.writeHead(prelude.statusCode, prelude.headers);
    // Headers and whatever the handler writes in the same tick leave in one packet (a JSON answer
    // is written whole at once); a stream's later frames go out as they come.
    this.res.cork();
    process.nextTick(() => this.res.uncork());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendPrelude({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' } });
    this.res.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendPrelude({ statusCode: 200 });
    this.res.end(callback);
  }
}

/** `awslambda.HttpResponseStream`, locally. */
export const localHttpResponseStream: ResponseStreamFactory = {
  from(stream, prelude) {
    if (stream instanceof LocalResponseStream) stream.sendPrelude(prelude);
    return stream;
  },
};
