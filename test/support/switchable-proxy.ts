import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'slow';

/**
 * A TCP proxy in front of a real server, for fault tests: `pass` forwards, `refuse` drops every
 * connection as a stopped server would, `slow` holds each chunk for a while. Switching mode also
 * cuts the connections already open (the SDK keeps them alive).
 */
export class SwitchableProxy {
  mode: ProxyMode = 'pass';
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  constructor(
    private readonly targetPort: number,
    private readonly slowMs = 300,
  ) {}

  /**
   * Listens on `host:port` (any free port of 127.0.0.1 by default). A given port on another
   * loopback address (`::1`) stands in front of a server that only answers its own host and port.
   */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((client) => {
      if (this.mode === 'refuse') {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.track(client);
      this.track(upstream);
      const relay = (from: Socket, to: Socket) =>
        from.on('data', (chunk: Buffer) => {
          if (this.mode === 'slow') {
            from.pause();
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              from.resume();
            }, this.slowMs);
          } else if (!to.destroyed) {
            to.write(chunk);
          }
        });
      relay(client, upstream);
      relay(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return `http://${host.includes(':') ? `[${host}]` : host}:${(this.server.address() as { port: number }).port}`;
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    this.set('refuse');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
