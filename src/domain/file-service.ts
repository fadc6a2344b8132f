import { jsonBytes } from './json-bytes.js';
import { DomainError, fileNotFound, invalidInput } from './errors.js';
import {
  PREVIEW_LENGTH,
  fileKeys,
  sanitizeFileName,
  toFileContext,
  type FileContext,
  type FileRecord,
} from './file-context.js';
import type { SourceDocument } from './prompt/build-prompt.js';
import type { BlobStore } from './ports/blob-store.js';
import type { Clock } from './ports/clock.js';
import type { FileCatalog } from './ports/file-catalog.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { TextCache } from './ports/text-cache.js';
import type { ExtractedText, TextExtractor } from './ports/text-extractor.js';

export interface FileLimits {
  /** Largest file sent inline (base64 in JSON) to `POST /files`. */
  maxInlineBytes: number;
  /** Largest file uploaded through a presigned URL. */
  maxUploadBytes: number;
  /** Longer extracted texts are cut here and marked truncated. */
  maxExtractedChars: number;
  uploadUrlTtlSeconds: number;
  /** What all of one user's files may take up, in bytes; undefined: no limit. */
  storageBytesPerUser?: number;
}

export interface FileDeps {
  catalog: FileCatalog;
  blobs: BlobStore;
  extractor: TextExtractor;
  clock: Clock;
  ids: IdGenerator;
  /** Texts read before, kept between requests; without one every message reads them again. */
  texts?: TextCache;
}

export interface NewFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface UploadSlot {
  fileId: string;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

/** The most JSON one `GET /files` sends, in UTF-8 bytes: under Lambda's 6 MB with room for headers. */
export const MAX_LIST_BYTES = 5 * 1024 * 1024;

/** How far the server's clock and the blob store's may differ when an upload URL expires. */
const CLOCK_MARGIN_SECONDS = 60;

/** Where the previous page of files stopped; DomainError `invalid` `INVALID_CURSOR` when it is not one. */
function parseFileCursor(cursor: string): { uploadedAt: string; fileId: string } {
  // `<uploadedAt>~<fileId>`: an ISO instant has no `~`, and neither have the server's ids.
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)~([\w-]{1,128})$/.exec(cursor);
  if (match) return { uploadedAt: match[1]!, fileId: match[2]! };
  throw invalidInput('INVALID_CURSOR', 'This page cursor is not valid. Start again from the first page.');
}

/** Files a user gives the model to read: upload, extract once, list, read, delete. */
export class FileService {
  constructor(
    private readonly deps: FileDeps,
    private readonly limits: FileLimits,
    private readonly maxListBytes = MAX_LIST_BYTES,
  ) {}

  /** The small-file path: bytes arrive with the request and are extracted at once. */
  async upload(userId: string, file: NewFile): Promise<FileContext> {
    const fileName = this.checkName(file.fileName, file.contentType);
    this.checkSize(file.bytes.length, this.limits.maxInlineBytes, 'Send larger files through an upload URL (POST /files/uploads).');
    await this.checkStorage(userId, file.bytes.length);
    const fileId = this.deps.ids.newId();
    const keys = fileKeys(userId, fileId, fileName);
    const record: FileRecord = {
      fileId,
      userId,
      fileName,
      contentType: file.contentType,
      fileType: 'text',
      size: file.bytes.length,
      charCount: 0,
      status: 'uploading',
      uploadedAt: this.deps.clock.now().toISOString(),
      blobKey: keys.blob,
    };
    const extracted = await this.extract(record, file.bytes);
    await this.deps.blobs.put(keys.blob, file.bytes, file.contentType);
    return this.saveReady(record, extracted, 'create');
  }

  /** The large-file path, step one: a presigned URL the browser PUTs the bytes to. */
  async createUpload(userId: string, file: { fileName: string; contentType: string; size: number }): Promise<UploadSlot> {
    const fileName = this.checkName(file.fileName, file.contentType);
    this.checkSize(file.size, this.limits.maxUploadBytes);
    await this.checkStorage(userId, file.size);
    const fileId = this.deps.ids.newId();
    const keys = fileKeys(userId, fileId, fileName);
    const target = await this.deps.blobs.createUploadUrl({
      key: keys.blob,
      contentType: file.contentType,
      size: file.size,
      expiresInSeconds: this.limits.uploadUrlTtlSeconds,
    });
    await this.deps.catalog.put({
      fileId,
      userId,
      fileName,
      contentType: file.contentType,
      fileType: 'text',
      size: file.size,
      charCount: 0,
      status: 'uploading',
      uploadedAt: this.deps.clock.now().toISOString(),
      blobKey: keys.blob,
    });
    return { fileId, uploadUrl: target.url, method: target.method, headers: target.headers, expiresAt: target.expiresAt };
  }

  /** The large-file path, step two: extract the uploaded bytes. Calling it again is harmless. */
  async process(userId: string, fileId: string): Promise<FileContext> {
    const record = await this.deps.catalog.get(userId, fileId);
    if (!record) throw fileNotFound();
    if (record.status === 'ready') return toFileContext(record);
    const stat = await this.deps.blobs.stat(record.blobKey);
    if (!stat) {
      throw new DomainError('conflict', 'UPLOAD_MISSING', 'The file has not been uploaded yet: PUT it to its upload URL first.');
    }
    const uploaded = { ...record, size: stat.size };
    const extracted = await this.markFailedOnError(uploaded, async () => {
      this.checkSize(stat.size, this.limits.maxUploadBytes);
      const bytes = await this.deps.blobs.get(record.blobKey);
      if (!bytes) throw new DomainError('conflict', 'UPLOAD_MISSING', 'The uploaded file is gone: upload it again.');
      return this.extract(uploaded, bytes);
    });
    return this.saveReady(uploaded, extracted, 'update');
  }

  /**
   * The user's files, newest upload first, as many as fit one response: a list of files is
   * metadata, but a user may have any number of files (the storage limit is optional and counts
   * bytes, not files), and a name of 255 characters takes up to 765 bytes in JSON, so thousands of
   * files would pass Lambda's 6 MB response limit. Past MAX_LIST_BYTES of serialised items the list
   * stops, and `nextCursor` reads on from the last file sent.
   */
  async list(userId: string, options: { cursor?: string } = {}): Promise<{ items: FileContext[]; nextCursor?: string }> {
    const all = (await this.deps.catalog.list(userId))
      .map(toFileContext)
      .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt) || b.fileId.localeCompare(a.fileId));
    const after = options.cursor === undefined ? undefined : parseFileCursor(options.cursor);
    const rest = after
      ? all.filter((file) => file.uploadedAt < after.uploadedAt || (file.uploadedAt === after.uploadedAt && file.fileId < after.fileId))
      : all;
    // `{"items":[],"nextCursor":"…"}`: a cursor is two short fields, 200 bytes covers it.
    let bytes = 200;
    let count = 0;
    // At least one file: every page moves on.
    while (count < rest.length) {
      const size = jsonBytes(rest[count]) + 1;
      if (count > 0 && bytes + size > this.maxListBytes) break;
      bytes += size;
      count++;
    }
    const items = rest.slice(0, count);
    if (count === rest.length) return { items };
    const last = items[items.length - 1]!;
    return { items, nextCursor: `${last.uploadedAt}~${last.fileId}` };
  }

  async get(userId: string, fileId: string): Promise<FileContext & { preview: string }> {
    const record = await this.deps.catalog.get(userId, fileId);
    if (!record) throw fileNotFound();
    return { ...toFileContext(record), preview: record.preview ?? '' };
  }

  async delete(userId: string, fileId: string): Promise<void> {
    const record = await this.deps.catalog.get(userId, fileId);
    if (!record) throw fileNotFound();
    const keys = fileKeys(userId, fileId, record.fileName);
    await this.deps.blobs.deletePrefix(keys.prefix);
    if (this.uploadUrlMayBeLive(record)) await this.deps.blobs.seal(keys.blob);
    await this.deps.catalog.delete(userId, fileId);
  }

  /**
   * Whether an upload URL made for this file could still write its key: the slot was made at
   * `uploadedAt` and its URL lives `uploadUrlTtlSeconds`, plus a minute for clocks that differ.
   * An inline upload has no URL; sealing its key too is harmless and needs no extra field.
   */
  private uploadUrlMayBeLive(record: FileRecord): boolean {
    const closesAt = Date.parse(record.uploadedAt) + (this.limits.uploadUrlTtlSeconds + CLOCK_MARGIN_SECONDS) * 1000;
    // Written so that an unreadable date seals too.
    return !(this.deps.clock.now().getTime() >= closesAt);
  }

  /**
   * The records of these files, read together: what a message's first round of store calls asks
   * for, beside the conversation. Undefined in the map: not this user's file, or no file at all.
   */
  async records(userId: string, fileIds: readonly string[]): Promise<Map<string, FileRecord | undefined>> {
    const read = await Promise.all(fileIds.map((id) => this.deps.catalog.get(userId, id)));
    return new Map(fileIds.map((id, i) => [id, read[i]]));
  }

  /** The files a message attaches, from their records: each must be this user's and ready. */
  requireReady(fileIds: readonly string[], records: ReadonlyMap<string, FileRecord | undefined>): FileRecord[] {
    return fileIds.map((id) => {
      const record = records.get(id);
      if (!record) throw fileNotFound();
      if (record.status !== 'ready') {
        throw new DomainError('conflict', 'FILE_NOT_READY', `The file "${record.fileName}" is not ready yet: process it first.`);
      }
      return record;
    });
  }

  /**
   * The texts of a conversation's files, for the prompt. A file deleted since is left out. The
   * records already read this request are used; the others are read now (the catalog is always
   * asked in the request: a file deleted since its text was kept is no longer given to the model).
   */
  async loadDocuments(userId: string, fileIds: readonly string[], known: ReadonlyMap<string, FileRecord | undefined> = new Map()): Promise<SourceDocument[]> {
    const unknown = fileIds.filter((id) => !known.has(id));
    const read = unknown.length === 0 ? known : new Map([...known, ...(await this.records(userId, unknown))]);
    const documents = await Promise.all(
      fileIds.map(async (fileId): Promise<SourceDocument | undefined> => {
        const record = read.get(fileId);
        if (!record?.textKey || record.status !== 'ready') return undefined;
        const text = await this.readText(record.fileId, record.textKey, record.charCount);
        if (text === undefined) return undefined;
        return { fileId, fileName: record.fileName, size: record.size, text };
      }),
    );
    return documents.filter((doc): doc is SourceDocument => doc !== undefined);
  }

  /** A file's text, from memory when it was read before: written once, it is the same text while the key and length are. */
  private async readText(fileId: string, textKey: string, charCount: number): Promise<string | undefined> {
    const version = `${fileId}\n${textKey}\n${charCount}`;
    const kept = this.deps.texts?.get(version);
    if (kept !== undefined) return kept;
    const bytes = await this.deps.blobs.get(textKey);
    if (!bytes) return undefined;
    const text = new TextDecoder().decode(bytes);
    this.deps.texts?.set(version, text);
    return text;
  }

  private checkName(rawName: string, contentType: string): string {
    const fileName = sanitizeFileName(rawName);
    if (fileName === '' || fileName === '.' || fileName === '..') {
      throw invalidInput('INVALID_FILE_NAME', 'The file needs a name.');
    }
    if (!this.deps.extractor.accepts(fileName, contentType)) {
      throw new DomainError(
        'unsupported',
        'UNSUPPORTED_FILE_TYPE',
        `"${fileName}" is not a supported file type. Upload a PDF, a Word document (.docx), a CSV, text, Markdown, JSON or source code file.`,
      );
    }
    return fileName;
  }

  private checkSize(size: number, max: number, hint = ''): void {
    if (size === 0) throw new DomainError('unreadable', 'FILE_EMPTY', 'The file is empty.');
    if (size > max) {
      throw new DomainError(
        'too_large',
        'FILE_TOO_LARGE',
        `The file is ${formatBytes(size)}; the limit is ${formatBytes(max)}. ${hint}`.trim(),
      );
    }
  }

  /**
   * The user's files, with the new one, must fit in their storage. Every listed file counts, an
   * upload not yet sent at its declared size: its URL lets it take that much. Two uploads at the
   * same instant may both fit alone and not together; the next one is refused.
   */
  private async checkStorage(userId: string, size: number): Promise<void> {
    const max = this.limits.storageBytesPerUser;
    if (max === undefined) return;
    const used = (await this.deps.catalog.list(userId)).reduce((sum, record) => sum + record.size, 0);
    if (used + size > max) {
      throw new DomainError(
        'too_large',
        'STORAGE_LIMIT_REACHED',
        `Your files use ${formatBytes(used)} of your ${formatBytes(max)}, and this one is ${formatBytes(size)}. Delete files you no longer need to make room for it.`,
      );
    }
  }

  private async extract(record: FileRecord, bytes: Uint8Array): Promise<ExtractedText> {
    const extracted = await this.deps.extractor.extract({ bytes, fileName: record.fileName, contentType: record.contentType });
    if (extracted.text.trim() === '') {
      throw new DomainError('unreadable', 'NO_TEXT', `"${record.fileName}" has no text to read.`);
    }
    return extracted;
  }

  /** An uploaded file that cannot be read stays listed as failed, with the reason, until deleted. */
  private async markFailedOnError<T>(record: FileRecord, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && error.kind !== 'conflict') {
        await this.deps.catalog.update({ ...record, status: 'failed', error: { code: error.code, message: error.message } });
      }
      throw error;
    }
  }

  /** `update`: the record exists already (presigned path) and may have been deleted during extraction. */
  private async saveReady(record: FileRecord, extracted: ExtractedText, save: 'create' | 'update'): Promise<FileContext> {
    const truncated = extracted.text.length > this.limits.maxExtractedChars;
    const text = truncated ? extracted.text.slice(0, this.limits.maxExtractedChars) : extracted.text;
    const textKey = fileKeys(record.userId, record.fileId, record.fileName).text;
    await this.deps.blobs.put(textKey, new TextEncoder().encode(text), 'text/plain; charset=utf-8');
    const ready: FileRecord = {
      ...record,
      fileType: extracted.fileType,
      charCount: text.length,
      status: 'ready',
      textKey,
      preview: text.slice(0, PREVIEW_LENGTH),
    };
    delete ready.error;
    if (extracted.pages !== undefined) ready.pages = extracted.pages;
    if (extracted.rows !== undefined) ready.rows = extracted.rows;
    if (truncated) ready.truncated = true;
    if (save === 'create') {
      await this.deps.catalog.put(ready);
    } else if (!(await this.deps.catalog.update(ready))) {
      await this.deps.blobs.deletePrefix(fileKeys(record.userId, record.fileId, record.fileName).prefix);
      throw fileNotFound();
    }
    return toFileContext(ready);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
