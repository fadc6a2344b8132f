import { randomBytes } from 'node:crypto';
import type { BlobStore, UploadRequest, UploadTarget } from '../../domain/ports/blob-store.js';

interface Blob {
  bytes: Uint8Array;
  contentType: string;
}

interface PendingUpload {
  key: string;
  contentType: string;
  size: number;
  expiresAt: number;
}

export const UNKNOWN_UPLOAD_URL = 'This upload URL is unknown, used already or expired: add the file again.';

export type UploadOutcome =
  | { ok: true }
  | { ok: false; status: 403 | 412 | 413; code: string; message: string };

/**
 * Map-backed bytes for tests and `STORE=memory`. Presigned uploads are imitated with one-time
 * tokens: the URL points at the local server (`PUT /local-uploads/{token}`), which hands the body
 * to `receiveUpload`, checked as S3 checks a presigned, conditional PUT (key, type, size, expiry,
 * and the key still empty).
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Blob>();
  private readonly uploads = new Map<string, PendingUpload>();

  constructor(
    /** Where the local server takes uploads, e.g. `http://127.0.0.1:3000/local-uploads`. */
    private readonly uploadBaseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.blobs.set(key, { bytes: new Uint8Array(bytes), contentType });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const blob = this.blobs.get(key);
    return blob && new Uint8Array(blob.bytes);
  }

  async stat(key: string): Promise<{ size: number; contentType: string } | undefined> {
    const blob = this.blobs.get(key);
    return blob && { size: blob.bytes.length, contentType: blob.contentType };
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }

  /** The tokens for the key go: what S3's seal object does there, this store does by forgetting them. */
  async seal(key: string): Promise<void> {
    this.blobs.delete(key);
    for (const [token, upload] of this.uploads) if (upload.key === key) this.uploads.delete(token);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for (const key of [...this.blobs.keys()]) {
      if (key.startsWith(prefix)) {
        this.blobs.delete(key);
        count++;
      }
    }
    return count;
  }

  async createUploadUrl(request: UploadRequest): Promise<UploadTarget> {
    this.forgetExpiredUploads();
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + request.expiresInSeconds * 1000;
    this.uploads.set(token, { key: request.key, contentType: request.contentType, size: request.size, expiresAt });
    return {
      url: `${this.uploadBaseUrl()}/${token}`,
      method: 'PUT',
      headers: { 'Content-Type': request.contentType },
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** A PUT to an upload URL: like the presigned URL on S3, it writes once, before it expires. */
  async receiveUpload(token: string, contentType: string, bytes: Uint8Array): Promise<UploadOutcome> {
    const upload = this.uploads.get(token);
    if (!upload || upload.expiresAt < this.now()) {
      return { ok: false, status: 403, code: 'UPLOAD_URL_INVALID', message: UNKNOWN_UPLOAD_URL };
    }
    if (this.blobs.has(upload.key)) {
      this.uploads.delete(token);
      return { ok: false, status: 412, code: 'UPLOAD_URL_USED', message: 'This upload URL has been used already: add the file again.' };
    }
    if (contentType !== upload.contentType) {
      return { ok: false, status: 403, code: 'UPLOAD_TYPE_MISMATCH', message: `Send the file with Content-Type "${upload.contentType}".` };
    }
    if (bytes.length > upload.size) {
      return { ok: false, status: 413, code: 'UPLOAD_TOO_LARGE', message: 'The file is larger than the size declared for this upload.' };
    }
    this.uploads.delete(token);
    await this.put(upload.key, bytes, contentType);
    return { ok: true };
  }

  /** Tokens past their time are dropped as new ones are made, so the map never grows without end. */
  private forgetExpiredUploads(): void {
    const now = this.now();
    for (const [token, upload] of this.uploads) if (upload.expiresAt < now) this.uploads.delete(token);
  }

  /** The largest body any pending upload accepts, so the server can stop reading early. */
  maxPendingUploadSize(token: string): number | undefined {
    return this.uploads.get(token)?.size;
  }
}
