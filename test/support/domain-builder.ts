import { MemoryBlobStore } from '../../src/adapters/blob-store/memory-blob-store.js';
import { PlainTextExtractor } from '../../src/adapters/text-extractor/plain-text-extractor.js';
import { MemoryFileCatalog } from '../../src/adapters/file-catalog/memory-file-catalog.js';
import { MemoryConversationStore } from '../../src/adapters/conversation-store/memory-conversation-store.js';
import { MemoryRequestClaims } from '../../src/adapters/request-claims/memory-request-claims.js';
import { ChatService } from '../../src/domain/chat-service.js';
import type { ChatEvent, ChatOptions } from '../../src/domain/chat-types.js';
import { ConversationService } from '../../src/domain/conversation-service.js';
import type { FileContext } from '../../src/domain/file-context.js';
import { FileService, type FileLimits } from '../../src/domain/file-service.js';
import type { TextCache } from '../../src/domain/ports/text-cache.js';
import { FixedClock, ScriptedModel, SequentialIds } from './fakes.js';

export const USER = 'alice';
export const OTHER_USER = 'bob';
export const UPLOAD_BASE_URL = 'http://127.0.0.1:9/local-uploads';
export const SYSTEM_PROMPT = 'You are a test assistant.';

export interface DomainOptions {
  model?: ScriptedModel;
  chat?: Partial<ChatOptions>;
  files?: Partial<FileLimits>;
  /** Files' texts kept in memory between messages, as a warm server keeps them; none by default. */
  texts?: TextCache;
}

/** The domain's services on in-memory adapters, a fixed clock, sequential ids and a scripted model. */
export function makeDomain(options: DomainOptions = {}) {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const conversations = new MemoryConversationStore();
  const claims = new MemoryRequestClaims();
  const catalog = new MemoryFileCatalog();
  const blobs = new MemoryBlobStore(() => UPLOAD_BASE_URL);
  const model = options.model ?? new ScriptedModel();
  const files = new FileService(
    { catalog, blobs, extractor: new PlainTextExtractor(), clock, ids, ...(options.texts && { texts: options.texts }) },
    { maxInlineBytes: 64 * 1024, maxUploadBytes: 1024 * 1024, maxExtractedChars: 100_000, uploadUrlTtlSeconds: 600, ...options.files },
  );
  const chat = new ChatService(
    { conversations, claims, files, model, clock, ids },
    { systemPrompt: SYSTEM_PROMPT, maxMessageChars: 1000, maxFilesPerMessage: 3, ...options.chat },
  );
  const history = new ConversationService(conversations, clock);
  return { clock, ids, conversations, claims, catalog, blobs, model, files, chat, history };
}

export type Domain = ReturnType<typeof makeDomain>;

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const liveSignal = (): AbortSignal => new AbortController().signal;

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export function ofType<K extends ChatEvent['type']>(events: ChatEvent[], type: K): Extract<ChatEvent, { type: K }>[] {
  return events.filter((event): event is Extract<ChatEvent, { type: K }> => event.type === type);
}

/** The one `meta` event of a send. */
export function metaOf(events: ChatEvent[]): Extract<ChatEvent, { type: 'meta' }> {
  const [meta] = ofType(events, 'meta');
  if (!meta) throw new Error('no meta event');
  return meta;
}

export function uploadText(domain: Domain, userId: string, fileName: string, text: string, contentType = 'text/plain'): Promise<FileContext> {
  return domain.files.upload(userId, { fileName, contentType, bytes: utf8(text) });
}

/** The one-time token at the end of a MemoryBlobStore upload URL. */
export const uploadToken = (uploadUrl: string): string => new URL(uploadUrl).pathname.split('/').pop() ?? '';
