/**
 * The domain used in-process: no server, no AWS, no container. Builds the services from the
 * in-memory adapters and the offline model, uploads a file, and chats about it twice.
 *
 *   npm run example
 */
import { MemoryBlobStore } from '../src/adapters/blob-store/memory-blob-store.js';
import { PlainTextExtractor } from '../src/adapters/text-extractor/plain-text-extractor.js';
import { MemoryFileCatalog } from '../src/adapters/file-catalog/memory-file-catalog.js';
import { MemoryConversationStore } from '../src/adapters/conversation-store/memory-conversation-store.js';
import { OfflineChatModel } from '../src/adapters/chat-model/offline-chat-model.js';
import { RandomIdGenerator } from '../src/adapters/system/random-id-generator.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { ChatService } from '../src/domain/chat-service.js';
import { ConversationService } from '../src/domain/conversation-service.js';
import { FileService } from '../src/domain/file-service.js';

const clock = new SystemClock();
const ids = new RandomIdGenerator();
const conversations = new MemoryConversationStore();
const files = new FileService(
  {
    catalog: new MemoryFileCatalog(),
    blobs: new MemoryBlobStore(() => 'http://127.0.0.1/local-uploads'),
    extractor: new PlainTextExtractor(),
    clock,
    ids,
  },
  { maxInlineBytes: 4 << 20, maxUploadBytes: 50 << 20, maxExtractedChars: 1_000_000, uploadUrlTtlSeconds: 900 },
);
const chat = new ChatService(
  { conversations, files, model: new OfflineChatModel({ wordDelayMs: 10 }), clock, ids },
  { systemPrompt: 'You are a helpful assistant.', maxMessageChars: 100_000, maxFilesPerMessage: 10 },
);
const history = new ConversationService(conversations, clock);

const userId = 'example-user';
const notes = await files.upload(userId, {
  fileName: 'notes.md',
  contentType: 'text/markdown',
  bytes: new TextEncoder().encode('# Trip\n\nLeave Monday at 9, back Friday.\n'),
});
console.log(`Uploaded ${notes.fileName}: ${notes.charCount} characters, ${notes.status}\n`);

let conversationId: string | undefined;
for (const message of ['When do I leave?', 'And when am I back?']) {
  process.stdout.write(`You: ${message}\nAssistant: `);
  const fileIds = conversationId ? [] : [notes.fileId];
  for await (const event of chat.send(userId, { conversationId, message, fileIds }, new AbortController().signal)) {
    if (event.type === 'meta') conversationId = event.conversationId;
    if (event.type === 'delta') process.stdout.write(event.text);
    if (event.type === 'done') process.stdout.write(`\n  [${event.message.stopReason}, ${event.message.usage.inputTokens} tokens in, ${event.message.usage.outputTokens} out]\n\n`);
    if (event.type === 'error') process.stdout.write(`\n  [error ${event.code}: ${event.message}]\n\n`);
  }
}

const stored = await history.get(userId, conversationId!);
console.log(`Stored conversation "${stored.title}" with ${stored.messages.length} messages.`);
