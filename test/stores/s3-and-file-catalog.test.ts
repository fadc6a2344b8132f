import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../src/adapters/blob-store/s3-blob-store.js';
import { DynamoDbFileCatalog } from '../../src/adapters/file-catalog/dynamodb-file-catalog.js';
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

describe('S3 conditional writes on the embedded S3', () => {
  let aws: EmbeddedAws;
  let blobs: S3BlobStore;
  beforeAll(async () => {
    aws = await startEmbeddedAws();
    blobs = new S3BlobStore(aws.s3, await aws.newBucket());
  });
  afterAll(async () => aws.close());

  const body = new TextEncoder().encode('x'.repeat(256 * 1024));
  const slot = (key: string) => blobs.createUploadUrl({ key, contentType: 'text/plain', size: body.length, expiresInSeconds: 60 });

  it('signs If-None-Match: a PUT that leaves the condition out fails the signature', async () => {
    const target = await slot('carol/f1/a.txt');
    expect(target.headers).toMatchObject({ 'If-None-Match': '*' });
    const response = await fetch(target.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
    expect(await blobs.stat('carol/f1/a.txt')).toBeUndefined();
  });

  it('lets one of two PUTs at once land, the other refused as S3 does (409 or 412)', async () => {
    const target = await slot('carol/f2/a.txt');
    const put = () => fetch(target.url, { method: 'PUT', headers: target.headers, body });
    const statuses = (await Promise.all([put(), put(), put()])).map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const status of statuses.filter((code) => code !== 200)) expect([409, 412]).toContain(status);
    expect(await blobs.stat('carol/f2/a.txt')).toEqual({ size: body.length, contentType: 'text/plain' });
  });

  it('answers 412 PreconditionFailed to a conditional PUT on a taken key, and leaves it as it was', async () => {
    const bucket = await aws.newBucket();
    blobs = new S3BlobStore(aws.s3, bucket);
    await blobs.put('carol/f3/a.txt', new TextEncoder().encode('first'), 'text/plain');
    const put = aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'carol/f3/a.txt', Body: 'second', IfNoneMatch: '*' }));
    await expect(put).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(new TextDecoder().decode(await blobs.get('carol/f3/a.txt'))).toBe('first');
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
