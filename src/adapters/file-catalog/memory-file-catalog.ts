import { copyData } from '../system/copy-data.js';
import type { FileRecord } from '../../domain/file-context.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';

/** Map-backed file metadata for tests and `STORE=memory`. */
export class MemoryFileCatalog implements FileCatalog {
  private readonly records = new Map<string, FileRecord>();

  async put(record: FileRecord): Promise<void> {
    this.records.set(record.fileId, copyData(record));
  }

  async update(record: FileRecord): Promise<boolean> {
    if (this.records.get(record.fileId)?.userId !== record.userId) return false;
    this.records.set(record.fileId, copyData(record));
    return true;
  }

  async get(userId: string, fileId: string): Promise<FileRecord | undefined> {
    const record = this.records.get(fileId);
    return record?.userId === userId ? copyData(record) : undefined;
  }

  async list(userId: string): Promise<FileRecord[]> {
    return [...this.records.values()]
      .filter((record) => record.userId === userId)
      .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt) || b.fileId.localeCompare(a.fileId))
      .map((record) => copyData(record));
  }

  async delete(userId: string, fileId: string): Promise<boolean> {
    if (this.records.get(fileId)?.userId !== userId) return false;
    return this.records.delete(fileId);
  }
}
