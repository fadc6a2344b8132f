import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FileRecord } from '../../domain/file-context.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import { USER_FILES_INDEX } from '../aws/dynamodb-tables.js';
import { queryAll } from '../aws/query-all.js';

const TTL_SECONDS = 90 * 24 * 3600;

/** A file's item in `file-metadata` (snake_case attribute names, as in every table); its text is in S3. */
interface FileItem {
  file_id: string;
  user_id: string;
  file_name: string;
  file_type: FileRecord['fileType'];
  content_type: string;
  size: number;
  char_count: number;
  status: FileRecord['status'];
  upload_timestamp: string;
  s3_key: string;
  text_key?: string;
  preview?: string;
  pages?: number;
  rows?: number;
  truncated?: boolean;
  error?: FileRecord['error'];
  ttl: number;
}

/**
 * File metadata on DynamoDB. The table's key is the file id alone, so every read checks the
 * owner: another user's file id behaves exactly as one that does not exist.
 */
export class DynamoDbFileCatalog implements FileCatalog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: FileRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          // A record is only ever replaced by its owner.
          ConditionExpression: 'attribute_not_exists(file_id) OR user_id = :u',
          ExpressionAttributeValues: { ':u': record.userId },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Error(`file id ${record.fileId} belongs to another user`, { cause: error });
      }
      throw error;
    }
  }

  async update(record: FileRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_exists(file_id) AND user_id = :u',
          ExpressionAttributeValues: { ':u': record.userId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(userId: string, fileId: string): Promise<FileRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { file_id: fileId }, ConsistentRead: true }));
    const item = Item as FileItem | undefined;
    return item?.user_id === userId ? toRecord(item) : undefined;
  }

  async list(userId: string): Promise<FileRecord[]> {
    const items = await queryAll<FileItem>(this.db, {
      TableName: this.tableName,
      IndexName: USER_FILES_INDEX,
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': userId },
      ScanIndexForward: false,
    });
    return items.map(toRecord);
  }

  async delete(userId: string, fileId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { file_id: fileId },
          ConditionExpression: 'user_id = :u',
          ExpressionAttributeValues: { ':u': userId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toItem(record: FileRecord): FileItem {
  const item: FileItem = {
    file_id: record.fileId,
    user_id: record.userId,
    file_name: record.fileName,
    file_type: record.fileType,
    content_type: record.contentType,
    size: record.size,
    char_count: record.charCount,
    status: record.status,
    upload_timestamp: record.uploadedAt,
    s3_key: record.blobKey,
    ttl: Math.floor(Date.parse(record.uploadedAt) / 1000) + TTL_SECONDS,
  };
  if (record.textKey !== undefined) item.text_key = record.textKey;
  if (record.preview !== undefined) item.preview = record.preview;
  if (record.pages !== undefined) item.pages = record.pages;
  if (record.rows !== undefined) item.rows = record.rows;
  if (record.truncated) item.truncated = true;
  if (record.error) item.error = record.error;
  return item;
}

function toRecord(item: FileItem): FileRecord {
  const record: FileRecord = {
    fileId: item.file_id,
    userId: item.user_id,
    fileName: item.file_name,
    fileType: item.file_type,
    contentType: item.content_type,
    size: item.size,
    charCount: item.char_count,
    status: item.status,
    uploadedAt: item.upload_timestamp,
    blobKey: item.s3_key,
  };
  if (item.text_key !== undefined) record.textKey = item.text_key;
  if (item.preview !== undefined) record.preview = item.preview;
  if (item.pages !== undefined) record.pages = item.pages;
  if (item.rows !== undefined) record.rows = item.rows;
  if (item.truncated) record.truncated = true;
  if (item.error) record.error = item.error;
  return record;
}
