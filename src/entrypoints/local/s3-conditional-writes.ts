import { request, type IncomingMessage } from 'node:http';

export type WriteOnceCheck =
  | { ok: true; release: () => void }
  | { ok: false; status: 409 | 412; code: string; message: string };

/**
 * S3's conditional write, which s3rver lacks: a PUT with `If-None-Match: *` lands only while its
 * key holds no object (412 PreconditionFailed otherwise), and a second conditional PUT to a key
 * while one is under way gets 409 ConditionalRequestConflict, as S3 answers. Presigned upload URLs
 * sign this header, so locally as on AWS a URL writes its file once.
 */
export class ConditionalWrites {
  /** Keys (the path, `/bucket/key`) with a conditional PUT in flight. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly s3rverPort: number) {}

  /** Whether the request asks for a write-once PUT: what S3 honours, `*` alone. */
  static applies(req: IncomingMessage): boolean {
    return req.method === 'PUT' && req.headers['if-none-match']?.trim() === '*';
  }

  async claim(target: string): Promise<WriteOnceCheck> {
    const key = new URL(target, 'http://placeholder').pathname;
    if (this.inFlight.has(key)) {
      return { ok: false, status: 409, code: 'ConditionalRequestConflict', message: 'A conditional request to this key is in progress. Try again.' };
    }
    this.inFlight.add(key);
    const release = () => this.inFlight.delete(key);
    try {
      if (await this.exists(key)) {
        release();
        return { ok: false, status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' };
      }
    } catch (error) {
      release();
      throw error;
    }
    return { ok: true, release };
  }

  private exists(path: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const head = request({ host: '127.0.0.1', port: this.s3rverPort, method: 'HEAD', path }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      head.on('error', reject);
      head.end();
    });
  }
}
