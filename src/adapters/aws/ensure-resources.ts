import { CreateTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { BucketAlreadyExists, BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chatHistoryTable, fileMetadataTable, usageTable } from './dynamodb-tables.js';

/**
 * Creates the tables and the bucket where they are missing: for local servers and tests only.
 * On AWS the Pulumi program owns them.
 */
export async function ensureTables(
  db: DynamoDBDocumentClient,
  names: { chatHistory: string; fileMetadata: string; usage: string },
): Promise<void> {
  for (const definition of [chatHistoryTable(names.chatHistory), fileMetadataTable(names.fileMetadata), usageTable(names.usage)]) {
    try {
      await db.send(new CreateTableCommand(definition));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
}

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists)) throw error;
  }
}
