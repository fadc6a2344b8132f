import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request through the proxy, in wall-clock ms (`performance.timeOrigin + performance.now()`). */
export interface ProxiedCall {
  /** When the request's head reached the proxy. */
  arrivedAt: number;
  /** When the proxy had written the whole answer back; undefined while the answer is still going. */
  answeredAt?: number;
}

/**
 * What `delayMs` means. `added`: each request is held that long before it is passed on, so a call
 * takes that plus the stand-in's own time (and its queue, when calls come together). `total`:
 * each request is passed on at once and its answer held until `delayMs` after it arrived, so a
 * call takes that in all, however the stand-in queues the calls of one round: a service that
 * answers calls side by side, as DynamoDB does.
 */
export type DelayMode = 'added' | 'total';

export interface DelayingProxy {
  url: string;
  /** The hold of each request from now on, in ms. */
  delayMs: number;
  mode: DelayMode;
  /** When each request's head arrived (performance.now()), in order. */
  arrivals: number[];
  /**
   * Each request's arrival and answer, in wall-clock ms: comparable with another process's clock
   * on the same machine (both read the same system clock), which `arrivals` is not.
   */
  calls: ProxiedCall[];
  close(): Promise<void>;
}

const wallClockMs = () => performance.timeOrigin + performance.now();

/**
 * An HTTP proxy that holds every request for `delayMs` before passing it on, as the network and
 * the service's own work would on AWS (a few milliseconds a DynamoDB call, tens an S3 read). The
 * request goes on byte for byte, Host header included: SigV4 signatures stay valid. Keep-alive
 * connections from the SDK are kept as a real endpoint keeps them. It also notes when each request
 * arrived and when its answer was sent, so that a bench can time the way to a server behind it
 * and tell calls made one after the other from calls made together.
 */
export async function startDelayingProxy(target: string, delayMs: number): Promise<DelayingProxy> {
  const upstream = new URL(target);
  const arrivals: number[] = [];
  const calls: ProxiedCall[] = [];
  const proxy: { delayMs: number; mode: DelayMode } = { delayMs, mode: 'added' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    arrivals.push(performance.now());
    const call: ProxiedCall = { arrivedAt: wallClockMs() };
    calls.push(call);
    res.on('finish', () => (call.answeredAt = wallClockMs()));
    const { delayMs: hold, mode } = proxy;
    const answerAt = performance.now() + hold;
    const passOn = () => {
      const outgoing = forward(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const sendBack = () => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          };
          const wait = mode === 'total' ? answerAt - performance.now() : 0;
          if (wait > 0) setTimeout(sendBack, wait);
          else sendBack();
        },
      );
      outgoing.on('error', () => res.destroy());
      // The client gone: so is the call behind it (a model's stream stops as it would).
      res.on('close', () => outgoing.destroy());
      req.pipe(outgoing);
    };
    // No timer when nothing is added: a 0 ms timer still waits for the next turn of the timers
    // phase (about a millisecond), which would be counted as the store's time.
    if (mode === 'added' && hold > 0) setTimeout(passOn, hold);
    else passOn();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
