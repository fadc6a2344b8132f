import type { Conversation, FileContext } from '../api/types';

/** A conversation as Markdown: a title, then each message under its author and time. */
export function toMarkdown(conversation: Conversation, files: FileContext[]): string {
  const names = new Map(files.map((file) => [file.fileId, file.fileName]));
  const lines = [`# ${conversation.title}`, ''];
  if (conversation.fileIds.length > 0) {
    lines.push(`Files: ${conversation.fileIds.map((id) => names.get(id) ?? id).join(', ')}`, '');
  }
  for (const message of conversation.messages) {
    lines.push(`## ${message.role === 'user' ? 'You' : 'Assistant'} (${message.timestamp})`, '', message.content, '');
  }
  return lines.join('\n');
}

export function toJson(conversation: Conversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
}

/** Saves text as a file through a temporary link. */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A title made safe as a file name. */
export function fileNameFor(title: string, extension: string): string {
  const base = title.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation';
  return `${base}.${extension}`;
}
