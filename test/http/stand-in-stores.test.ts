import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';
import { startTestServer, type TestServer } from '../support/http-client.js';

/**
 * `STORE=aws` against stand-ins of one's own (here dynalite and s3rver, as DynamoDB Local or
 * LocalStack would be): the server creates the tables and the bucket it is told to use.
 */
describe('STORE=aws with AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3', () => {
  let aws: EmbeddedAws;
  let app: TestServer;
  const names = { CHAT_HISTORY_TABLE: 'own-history', FILE_METADATA_TABLE: 'own-files', USAGE_TABLE: 'own-usage', UPLOAD_BUCKET: 'own-uploads' };

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    // The SDK's own credential chain, as with any stand-in: s3rver accepts only its own keys.
    vi.stubEnv('AWS_ACCESS_KEY_ID', EMBEDDED_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', EMBEDDED_CREDENTIALS.secretAccessKey);
    app = await startTestServer({
      env: {
        STORE: 'aws',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_DYNAMODB: aws.stores.dynamoDbEndpoint,
        AWS_ENDPOINT_URL_S3: aws.stores.s3Endpoint,
        ...names,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await aws?.close();
    vi.unstubAllEnvs();
  });

  it('creates the missing tables and bucket at start, then keeps a conversation and a file in them', async () => {
    const tables = await aws.db.send(new ListTablesCommand({}));
    expect(tables.TableNames).toEqual(expect.arrayContaining(['own-history', 'own-files', 'own-usage']));

    const token = await app.signIn('stand-in-user');
    const file = await app.api('/files', { method: 'POST', token, body: { fileName: 'note.txt', contentType: 'text/plain', data: Buffer.from('Lunch is at noon.').toString('base64') } });
    expect(file.status).toBe(201);
    const chat = await app.chatStream(token, { message: 'When is lunch?', fileIds: [file.json.fileId] });
    expect(chat.events.at(-1)?.event).toBe('done');

    const conversations = await app.api('/conversations', { token });
    expect(conversations.json.items).toHaveLength(1);
    const objects = await aws.s3.send(new ListObjectsV2Command({ Bucket: 'own-uploads' }));
    expect(objects.KeyCount).toBeGreaterThan(0);
  });

  it('starts again on the same stand-ins, the tables and bucket already there, and finds what was kept', async () => {
    const again = await startTestServer({
      env: { STORE: 'aws', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: aws.stores.dynamoDbEndpoint, AWS_ENDPOINT_URL_S3: aws.stores.s3Endpoint, ...names },
    });
    try {
      const token = await again.signIn('stand-in-user');
      const conversations = await again.api('/conversations', { token });
      expect(conversations.json.items).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
