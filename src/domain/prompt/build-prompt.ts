import { currentMessages } from '../answer-versions.js';
import type { ContextReport, Message } from '../conversation.js';
import type { ModelLimits, ModelRequest, PromptDocument, PromptMessage } from '../ports/chat-model.js';
import { MESSAGE_OVERHEAD_TOKENS, estimateTokens } from './token-estimate.js';

export interface SourceDocument {
  fileId: string;
  fileName: string;
  size: number;
  text: string;
}

export interface PromptInput {
  system: string;
  documents: SourceDocument[];
  /**
   * The stored conversation, oldest first; the last one is the user's new message. Previous
   * versions of regenerated answers may be in it: they are left out.
   */
  history: Message[];
  limits: ModelLimits;
}

export interface BuiltPrompt {
  request: ModelRequest;
  report: ContextReport;
}

/** Kept free for the tokenizer's disagreement with our estimate. */
const SAFETY_MARGIN = 0.05;
/** When documents and history compete, history keeps at least this share of the room. */
const HISTORY_SHARE = 0.2;

interface Turn extends PromptMessage {
  tokens: number;
  sourceCount: number;
}

/**
 * Fits a turn into the model's context window: the system prompt, the attached files (cut
 * visibly when they do not fit whole) and as much recent history as the rest of the room allows,
 * oldest dropped first. The result always alternates roles and starts and ends with the user.
 */
export function buildPrompt(input: PromptInput): BuiltPrompt {
  const { limits } = input;
  const room = Math.floor(
    (limits.contextWindowTokens - limits.maxOutputTokens) * (1 - SAFETY_MARGIN) - estimateTokens(input.system),
  );
  const history = currentMessages(input.history);
  const { turns, skipped } = toAlternatingTurns(history, fileNames(input.documents));
  const newest = turns.pop();
  if (!newest || newest.role !== 'user') throw new Error('buildPrompt needs the new user message last');

  const olderTokens = turns.reduce((sum, turn) => sum + turn.tokens, 0);
  const roomAfterNewest = Math.max(0, room - newest.tokens);
  const documentRoom = roomAfterNewest - Math.min(olderTokens, Math.floor(roomAfterNewest * HISTORY_SHARE));
  const documents = fitDocuments(input.documents, documentRoom);
  const documentTokens = documents.reduce((sum, doc) => sum + estimateTokens(doc.text), 0);

  let historyRoom = roomAfterNewest - documentTokens;
  const kept: Turn[] = [newest];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    if (turn.tokens > historyRoom) break;
    historyRoom -= turn.tokens;
    kept.unshift(turn);
  }
  if (kept[0]?.role === 'assistant') kept.shift();

  const includedMessages = kept.reduce((sum, turn) => sum + turn.sourceCount, 0);
  const estimatedInputTokens =
    estimateTokens(input.system) + documentTokens + kept.reduce((sum, turn) => sum + turn.tokens, 0);
  return {
    request: {
      system: input.system,
      documents,
      messages: kept.map(({ role, content }) => ({ role, content })),
      maxOutputTokens: limits.maxOutputTokens,
    },
    report: {
      estimatedInputTokens,
      contextWindowTokens: limits.contextWindowTokens,
      maxOutputTokens: limits.maxOutputTokens,
      includedMessages,
      // Empty answers that were skipped are not "dropped": nothing gave way for room.
      droppedMessages: history.length - skipped - includedMessages,
      truncatedFileIds: documents.filter((doc) => doc.truncated).map((doc) => doc.fileId),
    },
  };
}

/**
 * Models want user and assistant turns in strict alternation. A failed or stopped answer can leave
 * an empty assistant message, or two user messages in a row: empty answers are skipped and turns
 * of the same role are merged, so history never makes the call fail.
 */
function toAlternatingTurns(history: Message[], names: Map<string, string>): { turns: Turn[]; skipped: number } {
  const turns: Turn[] = [];
  let skipped = 0;
  for (const message of history) {
    const content = turnText(message, names);
    if (content.trim() === '') {
      skipped++;
      continue;
    }
    const last = turns[turns.length - 1];
    if (last && last.role === message.role) {
      last.content = `${last.content}\n\n${content}`;
      last.tokens += estimateTokens(content);
      last.sourceCount += 1;
    } else {
      turns.push({
        role: message.role,
        content,
        tokens: estimateTokens(content) + MESSAGE_OVERHEAD_TOKENS,
        sourceCount: 1,
      });
    }
  }
  while (turns[0]?.role === 'assistant') skipped += turns.shift()!.sourceCount;
  return { turns, skipped };
}

/**
 * A message's words for the model. Files sent without words still make a user turn (models refuse
 * empty content): a short bracketed note says so and names them, so the model knows to look at them.
 */
function turnText(message: Message, names: Map<string, string>): string {
  if (message.role !== 'user' || message.content.trim() !== '' || !message.fileIds?.length) return message.content;
  const named = message.fileIds.map((id) => names.get(id)).filter((name): name is string => name !== undefined);
  const count = message.fileIds.length;
  if (named.length === 0) return `[The user sent ${count === 1 ? 'a file' : `${count} files`} without a message.]`;
  return `[The user sent ${named.length === 1 ? 'the file' : 'the files'} ${named.join(', ')} without a message.]`;
}

function fileNames(documents: SourceDocument[]): Map<string, string> {
  return new Map(documents.map((doc) => [doc.fileId, doc.fileName]));
}

/** Smaller files are kept whole first; the room left is shared among the larger ones. */
function fitDocuments(documents: SourceDocument[], room: number): PromptDocument[] {
  const sized = documents.map((doc, index) => ({ doc, index, tokens: estimateTokens(doc.text) + MESSAGE_OVERHEAD_TOKENS }));
  const bySize = [...sized].sort((a, b) => a.tokens - b.tokens);
  const fitted = new Array<PromptDocument>(documents.length);
  let left = Math.max(0, room);
  bySize.forEach(({ doc, index, tokens }, position) => {
    const share = Math.floor(left / (bySize.length - position));
    if (tokens <= share) {
      fitted[index] = { ...doc, truncated: false };
      left -= tokens;
      return;
    }
    const keepChars = Math.max(0, Math.floor((doc.text.length * share) / tokens) - TRUNCATION_NOTE_CHARS);
    fitted[index] = {
      ...doc,
      text: `${doc.text.slice(0, keepChars)}\n\n[… truncated: the first ${keepChars} of ${doc.text.length} characters of this file fit in the model's context]`,
      truncated: true,
    };
    left -= share;
  });
  return fitted;
}

const TRUNCATION_NOTE_CHARS = 120;
