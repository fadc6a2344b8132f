import type { BlobStore, UploadRequest, UploadTarget } from '../../domain/ports/blob-store.js';

/**
 * The S3 adapter loaded on the first call that needs it: the conversations function never
 * touches S3, and with this it never loads the S3 SDK either.
 */
export class LazyBlobStore implements BlobStore {
  private store: Promise<BlobStore> | undefined;

  constructor(private readonly load: () => Promise<BlobStore>) {}

  private loaded(): Promise<BlobStore> {
    this.store ??= this.load().catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    return (await this.loaded()).put(key, bytes, contentType);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.loaded()).get(key);
  }

  async stat(key: string): Promise<{ size: number; contentType: string } | undefined> {
    return (await this.loaded()).stat(key);
  }

  async delete(key: string): Promise<void> {
    return (await this.loaded()).delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    return (await this.loaded()).deletePrefix(prefix);
  }

  async seal(key: string): Promise<void> {
    return (await this.loaded()).seal(key);
  }

  async createUploadUrl(request: UploadRequest): Promise<UploadTarget> {
    return (await this.loaded()).createUploadUrl(request);
  }
}
