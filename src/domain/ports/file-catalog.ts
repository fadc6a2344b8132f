import type { FileRecord } from '../file-context.js';

/** File metadata. Like the history store, every call is scoped to one user. */
export interface FileCatalog {
  /** Inserts the record of a new file (or replaces it: only its owner ever writes it). */
  put(record: FileRecord): Promise<void>;
  /**
   * Replaces the record only while it still exists: false when the file was deleted meanwhile,
   * so a slow extraction finishing after a delete cannot bring the file back.
   */
  update(record: FileRecord): Promise<boolean>;
  get(userId: string, fileId: string): Promise<FileRecord | undefined>;
  /** Newest upload first. */
  list(userId: string): Promise<FileRecord[]>;
  delete(userId: string, fileId: string): Promise<boolean>;
}
