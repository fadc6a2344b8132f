export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT (the signed content type, and the write-once condition). */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface UploadRequest {
  key: string;
  contentType: string;
  /** Declared size in bytes; the store may refuse a body larger than this. */
  size: number;
  expiresInSeconds: number;
}

/** Bytes by key (files, extracted texts). */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Size and type without reading the bytes. */
  stat(key: string): Promise<{ size: number; contentType: string } | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix`; returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * A URL a browser can PUT one object to, for one key and one content type, for a short time,
   * once: while the key holds an object (the upload itself, or a seal) the URL writes nothing.
   */
  createUploadUrl(request: UploadRequest): Promise<UploadTarget>;
  /**
   * Deletes the object at `key` and keeps any upload URL for it from writing there again, so a
   * deleted file's bytes cannot come back untracked. Reads then find nothing at the key.
   */
  seal(key: string): Promise<void>;
}
