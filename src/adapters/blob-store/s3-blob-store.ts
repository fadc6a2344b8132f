import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore, UploadRequest, UploadTarget } from '../../domain/ports/blob-store.js';

/**
 * What a sealed key holds: an empty object, so S3's conditional write (`If-None-Match: *`) refuses
 * every upload URL still live for the key. The bucket's expiry rule removes it with the rest.
 */
const SEAL_CONTENT_TYPE = 'application/x-sealed-upload';

/** Bytes in one S3 bucket, under the keys the domain chooses (`{user_id}/{file_id}/...`). */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const { Body, ContentType } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (ContentType === SEAL_CONTENT_TYPE) {
        await Body?.transformToByteArray();
        return undefined;
      }
      return Body ? await Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number; contentType: string } | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      if (head.ContentType === SEAL_CONTENT_TYPE) return undefined;
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * Overwrites rather than deletes: a URL's conditional PUT that lands before this is replaced by
   * the seal, one that lands after it finds the key taken and gets 412 Precondition Failed.
   */
  async seal(key: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: new Uint8Array(), ContentType: SEAL_CONTENT_TYPE }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      if (keys.length > 0) {
        const result = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`S3 could not delete ${result.Errors.length} objects under ${prefix}`);
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  /**
   * A presigned PUT for one key. The content type, length and `If-None-Match: *` are signed
   * headers, so the URL takes exactly the file that was announced (another type, size or key
   * fails the signature), and only while the key is empty: once the file is there, or sealed,
   * S3 answers 412 and the bytes the model reads can never change under it.
   */
  async createUploadUrl(request: UploadRequest): Promise<UploadTarget> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: request.key,
      ContentType: request.contentType,
      ContentLength: request.size,
      IfNoneMatch: '*',
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: request.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
    return {
      url,
      method: 'PUT',
      headers: { 'Content-Type': request.contentType, 'If-None-Match': '*' },
      expiresAt: new Date(Date.now() + request.expiresInSeconds * 1000).toISOString(),
    };
  }
}
