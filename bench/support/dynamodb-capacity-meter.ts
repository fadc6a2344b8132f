import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of dynalite that asks for `ReturnConsumedCapacity: TOTAL` on every call and
 * adds up what comes back, split into reads and writes: DynamoDB's on-demand request units, as
 * the real service would bill them (dynalite computes them with DynamoDB's rules).
 */
export class DynamoDbCapacityMeter {
  readUnits = 0;
  writeUnits = 0;
  calls = 0;
  private server?: Server;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let body = Buffer.concat(chunks);
        if (body.length > 0) {
          body = Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), ReturnConsumedCapacity: 'TOTAL' }));
        }
        const upstream = request(
          { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, 'content-length': body.length } },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              const text = Buffer.concat(parts);
              this.count(operation, text.toString('utf8'));
              res.writeHead(answer.statusCode ?? 500, { ...answer.headers, 'content-length': text.length });
              res.end(text);
            });
          },
        );
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.readUnits = 0;
    this.writeUnits = 0;
    this.calls = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private count(operation: string, responseBody: string): void {
    this.calls++;
    let consumed: unknown;
    try {
      consumed = (JSON.parse(responseBody) as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    } catch {
      return;
    }
    const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce(
      (sum: number, entry) => sum + ((entry as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0),
      0,
    );
    if (/^(Get|BatchGet|Query|Scan)/.test(operation)) this.readUnits += units;
    else this.writeUnits += units;
  }
}
