import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { ResponseStreamFactory } from '../handlers/chat.js';

type Prelude = { statusCode: number; headers?: Record<string, string> };

/**
 * The local stand-in for the response stream Lambda gives a streaming function. When the client
 * disconnects the stream is destroyed, as on Lambda, which is how the handler learns to stop.
 *
 * What the handler writes after its prelude is held back until the event loop's next turn
 * (setImmediate): a body written whole at once (a JSON answer or an error, `end(body)`) then
 * leaves as one response with a Content-Length, in one write to the socket, instead of a chunked
 * response in two; a stream's first frames leave with its headers, and its later frames as they
 * come.
 */
export class LocalResponseStream extends Writable {
  private prelude: Prelude | undefined;
  /** Chunks held back until the release; undefined once they have left. */
  private held: Buffer[] | undefined = [];

  constructor(private readonly res: ServerResponse) {
    super();
    res.once('close', () => {
      if (!this.writableFinished) this.destroy();
    });
  }

  sendPrelude(prelude: Prelude): void {
    if (this.prelude) return;
    this.prelude = prelude;
    setImmediate(() => this.release(false));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendPrelude({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' } });
    if (this.held) {
      this.held.push(chunk);
      callback();
      return;
    }
    this.res.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendPrelude({ statusCode: 200 });
    if (this.held) {
      this.release(true, callback);
      return;
    }
    this.res.end(callback);
  }

  /**
   * Destroyed (a stream error): the connection goes too, and with it what its socket still held,
   * rather than a client left waiting on a response nothing will end. A response ended already is
   * left to finish (this runs after every finish too).
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.res.writableEnded) this.res.destroy();
    callback(error);
  }

  /** Sends the headers and the held chunks: the whole response when the handler has ended it. */
  private release(ending: boolean, callback?: (error?: Error | null) => void): void {
    const held = this.held;
    if (!held || !this.prelude) return;
    this.held = undefined;
    // The local server answered already (it does when the handler throws): nothing more to send.
    if (this.res.headersSent || this.destroyed) {
      callback?.();
      return;
    }
    const body = Buffer.concat(held);
    const headers: Record<string, string | number> = { ...this.prelude.headers };
    if (ending) headers['Content-Length'] = body.length;
    try {
      this.res.writeHead(this.prelude.statusCode, headers);
    } catch {
      // A status or header Node refuses: outside the handler's own try (this may run from
      // setImmediate), so it must not escape and stop the server, nor become an 'error' event
      // nobody listens to. The connection is dropped, as Lambda drops a broken stream.
      this.res.destroy();
      this.destroy();
      callback?.();
      return;
    }
    if (ending) this.res.end(body, callback);
    else if (body.length > 0) this.res.write(body);
  }
}

/** `awslambda.HttpResponseStream`, locally. */
export const localHttpResponseStream: ResponseStreamFactory = {
  from(stream, prelude) {
    if (stream instanceof LocalResponseStream) stream.sendPrelude(prelude);
    return stream;
  },
};
