import type { FileRecord } from '../file-context.js';

/** File metadata. Like the history store, every call is scoped to one user. */
export interface FileCatalog {
  /** Inserts or replaces the record of `record.fileId`. */
  put(record: FileRecord): Promise<void>;
  get(userId: string, fileId: string): Promise<FileRecord | undefined>;
  /** Newest upload first. */
  list(userId: string): Promise<FileRecord[]>;
  delete(userId: string, fileId: string): Promise<boolean>;
}
