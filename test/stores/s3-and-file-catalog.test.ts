import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../src/adapters/blobs/s3-blob-store.js';
import { DynamoDbFileCatalog } from '../../src/adapters/files/dynamodb-file-catalog.js';
import type { FileRecord } from '../../src/domain/file-context.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';

describe('S3BlobStore presigned uploads on s3rver', () => {
  let aws: EmbeddedAws;
  let blobs: S3BlobStore;
  beforeAll(async () => {
    aws = await startEmbeddedAws();
    blobs = new S3BlobStore(aws.s3, await aws.newBucket());
  });
  afterAll(async () => aws.close());

  const body = new TextEncoder().encode('hello, presigned world');
  const upload = (key: string, size = body.length, contentType = 'text/plain') =>
    blobs.createUploadUrl({ key, contentType, size, expiresInSeconds: 60 });

  it('takes the announced file with fetch', async () => {
    const target = await upload('alice/f1/hello.txt');
    const response = await fetch(target.url, { method: target.method, headers: target.headers, body });
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(await blobs.get('alice/f1/hello.txt'))).toBe('hello, presigned world');
    expect(await blobs.stat('alice/f1/hello.txt')).toEqual({ size: body.length, contentType: 'text/plain' });
  });

  it('cannot be used for another key, another content type or another size', async () => {
    const target = await upload('alice/f2/hello.txt');
    const otherKey = target.url.replace('/alice/f2/hello.txt', '/bob/f2/hello.txt');
    const attempts = [
      fetch(otherKey, { method: 'PUT', headers: target.headers, body }),
      fetch(target.url, { method: 'PUT', headers: { 'Content-Type': 'application/x-msdownload' }, body }),
      fetch(target.url, { method: 'PUT', headers: target.headers, body: new Uint8Array(body.length + 10) }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
    expect(await blobs.stat('bob/f2/hello.txt')).toBeUndefined();
    expect(await blobs.stat('alice/f2/hello.txt')).toBeUndefined();
  });
});

describe('DynamoDbFileCatalog on dynalite', () => {
  let aws: EmbeddedAws;
  let catalog: DynamoDbFileCatalog;
  beforeAll(async () => {
    aws = await startEmbeddedAws();
    catalog = new DynamoDbFileCatalog(aws.db, (await aws.newTables()).fileMetadata);
  });
  afterAll(async () => aws.close());

  const record = (fileId: string, userId: string): FileRecord => ({
    fileId,
    userId,
    fileName: 'a.txt',
    fileType: 'text',
    contentType: 'text/plain',
    size: 3,
    charCount: 3,
    status: 'ready',
    uploadedAt: '2026-03-01T10:00:00.000Z',
    blobKey: `${userId}/${fileId}/a.txt`,
    textKey: `${userId}/${fileId}/text.txt`,
    preview: 'abc',
  });

  it('lets no other user read, list, delete or overwrite a file', async () => {
    await catalog.put(record('f-alice', 'alice'));
    expect(await catalog.get('bob', 'f-alice')).toBeUndefined();
    expect(await catalog.list('bob')).toEqual([]);
    expect(await catalog.delete('bob', 'f-alice')).toBe(false);
    await expect(catalog.put(record('f-alice', 'bob'))).rejects.toThrow();
    expect(await catalog.get('alice', 'f-alice')).toEqual(record('f-alice', 'alice'));
  });
});
