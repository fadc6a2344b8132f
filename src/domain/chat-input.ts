import type { ChatOptions } from './chat-types.js';
import { invalidInput } from './errors.js';

/**
 * The question's words as stored, checked: empty words are allowed when files are sent (stored as
 * ''), and no more files than one message may carry.
 */
export function checkQuestion(message: string, fileCount: number, options: ChatOptions): string {
  const text = message.trim() === '' ? '' : message;
  if (text === '' && fileCount === 0) throw invalidInput('EMPTY_MESSAGE', 'The message is empty: write something or attach a file.');
  if (text.length > options.maxMessageChars) {
    throw invalidInput('MESSAGE_TOO_LONG', `The message is ${text.length} characters; the limit is ${options.maxMessageChars}.`);
  }
  if (fileCount > options.maxFilesPerMessage) {
    throw invalidInput('TOO_MANY_FILES', `Attach at most ${options.maxFilesPerMessage} files to one message.`);
  }
  return text;
}
