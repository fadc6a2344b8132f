import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayingProxy {
  url: string;
  /** The hold of each request from now on, in ms. */
  delayMs: number;
  /** When each request's head arrived (performance.now()), in order. */
  arrivals: number[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy that holds every request for `delayMs` before passing it on, as the network and
 * the service's own work would on AWS (a few milliseconds a DynamoDB call, tens an S3 read). The
 * request goes on byte for byte, Host header included: SigV4 signatures stay valid. Keep-alive
 * connections from the SDK are kept as a real endpoint keeps them. It also notes when each request
 * arrived, so that a bench can time the way to a server behind it.
 */
export async function startDelayingProxy(target: string, delayMs: number): Promise<DelayingProxy> {
  const upstream = new URL(target);
  const arrivals: number[] = [];
  const proxy = { delayMs };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    arrivals.push(performance.now());
    setTimeout(() => {
      const outgoing = forward(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      outgoing.on('error', () => res.destroy());
      // The client gone: so is the call behind it (a model's stream stops as it would).
      res.on('close', () => outgoing.destroy());
      req.pipe(outgoing);
    }, proxy.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
