import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/client';
import { DEFAULT_MAX_INLINE_FILE_BYTES } from '../../../src/contract/file-types';
import type { FileContext } from '../api/types';
import { putWithProgress, toBase64 } from '../api/upload';
import { acceptedFiles, acceptedFor, type FilePurpose } from '../lib/file-kind';
import { useSessionStore } from './session';

export interface Attachment {
  /** Ours, before the server gives a file id. */
  key: string;
  name: string;
  size: number;
  status: 'uploading' | 'reading' | 'ready' | 'failed';
  /** 0..1 while uploading by presigned URL. */
  progress: number;
  file?: FileContext;
  error?: string;
  /** The API's code for `error` (STORAGE_LIMIT_REACHED, ...), for words of our own. */
  errorCode?: string;
}

let counter = 0;

/**
 * The files waiting in the composer for the next message, each uploaded as soon as it is added,
 * and the user's uploaded files by id (for names in a conversation's file list).
 */
export const useFilesStore = defineStore('files', () => {
  const attachments = ref<Attachment[]>([]);
  const library = ref<Record<string, FileContext>>({});
  const controllers = new Map<string, AbortController>();

  const rules = computed(() => useSessionStore().config?.files);
  /**
   * Files up to this size go inline (`POST /files`, base64); larger ones by presigned upload. The
   * server says how large in config.json; a stack older than that field takes the default.
   */
  const inlineLimitBytes = computed(() => rules.value?.maxInlineBytes ?? DEFAULT_MAX_INLINE_FILE_BYTES);
  /** What the file picker offers: the extensions the server reads (any file when it does not say). */
  const accept = computed(() => acceptedFiles(rules.value));
  const acceptFor = (purpose: FilePurpose): string => acceptedFor(purpose, rules.value);

  const ready = computed(() => attachments.value.filter((item) => item.status === 'ready'));
  const busy = computed(() => attachments.value.some((item) => item.status === 'uploading' || item.status === 'reading'));

  function add(files: Iterable<File>, makeRequest?: () => XMLHttpRequest): Promise<void>[] {
    return [...files].map((file) => upload(file, makeRequest));
  }

  async function upload(file: File, makeRequest?: () => XMLHttpRequest): Promise<void> {
    const key = `a${++counter}`;
    attachments.value.push({ key, name: file.name, size: file.size, status: 'uploading', progress: 0 });
    const item = () => attachments.value.find((entry) => entry.key === key);
    const controller = new AbortController();
    controllers.set(key, controller);
    const api = useSessionStore().client();
    const contentType = file.type || 'application/octet-stream';
    try {
      let context: FileContext;
      if (file.size <= inlineLimitBytes.value) {
        const data = await toBase64(file);
        setStatus(item(), 'reading');
        context = await api.uploadInline({ fileName: file.name, contentType, data });
      } else {
        const slot = await api.createUpload({ fileName: file.name, contentType, size: file.size });
        await putWithProgress(slot, file, (fraction) => {
          const entry = item();
          if (entry) entry.progress = fraction;
        }, controller.signal, makeRequest);
        setStatus(item(), 'reading');
        context = await api.processFile(slot.fileId);
      }
      library.value[context.fileId] = context;
      const entry = item();
      if (entry) Object.assign(entry, { status: 'ready', progress: 1, file: context });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      const entry = item();
      if (entry) {
        // Without an API error (the connection dropped), the chip says the upload failed, in the user's language.
        Object.assign(entry, error instanceof ApiError ? { status: 'failed', error: error.message, errorCode: error.code } : { status: 'failed' });
      }
    } finally {
      controllers.delete(key);
    }
  }

  function remove(key: string): void {
    controllers.get(key)?.abort();
    attachments.value = attachments.value.filter((item) => item.key !== key);
  }

  /** Takes the ready files for a message being sent, and clears the composer's list. */
  function takeReady(): FileContext[] {
    const taken = ready.value.map((item) => item.file!);
    attachments.value = attachments.value.filter((item) => item.status !== 'ready');
    return taken;
  }

  /** Files taken for a message that was refused go back to the composer, ready as they were. */
  function restore(files: readonly FileContext[]): void {
    const present = new Set(attachments.value.map((item) => item.file?.fileId).filter(Boolean));
    for (const file of files) {
      if (present.has(file.fileId)) continue;
      attachments.value.push({ key: `a${++counter}`, name: file.fileName, size: file.size, status: 'ready', progress: 1, file });
    }
  }

  /**
   * Files by id back to the composer (a refused message's), as the library knows them; one it
   * does not know yet goes back under its id, as the conversation's file list shows it then (read
   * as text, as far as its chip can tell: the server, which read it, knows better).
   */
  function restoreIds(fileIds: readonly string[]): void {
    restore(fileIds.map((fileId) => library.value[fileId] ?? { fileId, fileName: fileId, fileType: 'text', size: 0, charCount: 0, status: 'ready', uploadedAt: '' }));
  }

  async function loadLibrary(): Promise<void> {
    const { items } = await useSessionStore().client().listFiles();
    library.value = Object.fromEntries(items.map((file) => [file.fileId, file]));
  }

  function reset(): void {
    for (const controller of controllers.values()) controller.abort();
    attachments.value = [];
    library.value = {};
  }

  useSessionStore().onSignOut(reset);

  return { attachments, library, ready, busy, inlineLimitBytes, accept, acceptFor, add, remove, takeReady, restore, restoreIds, loadLibrary, reset };
});

function setStatus(item: Attachment | undefined, status: Attachment['status']): void {
  if (item) item.status = status;
}
