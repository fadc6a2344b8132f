/**
 * The domain used in-process: no server, no AWS. Composes the services as the local server does
 * (the same container modules, here the in-memory stores and the offline model, chosen by the
 * configuration), uploads a file, and chats about it twice.
 *
 *   npm run example
 */
import { loadConfig } from '../src/entrypoints/config.js';
import { servicesFromAllFamilies } from '../src/entrypoints/modules/all-families.js';

const config = loadConfig({ STORE: 'memory', MODEL_PROVIDER: 'offline', OFFLINE_MODEL_WORD_DELAY_MS: '10', LOG_LEVEL: 'SILENT' });
const { chat, files, conversations: history } = servicesFromAllFamilies(config);

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
    if (event.type === 'error') process.stdout.write(`\n  [error ${event.error.code}: ${event.error.message}]\n\n`);
  }
}

const stored = await history.get(userId, conversationId!);
console.log(`Stored conversation "${stored.title}" with ${stored.messages.length} messages.`);
