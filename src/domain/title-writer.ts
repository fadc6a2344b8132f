import { titleFromMessage, type TokenUsage } from './conversation.js';
import type { ChatModel, ModelRequest } from './ports/chat-model.js';
import type { ConversationStore } from './ports/conversation-store.js';
import type { UsageService } from './usage-service.js';

export interface TitleWriterDeps {
  /** A small, cheap model: a title is a few words. */
  model: ChatModel;
  conversations: ConversationStore;
  /** The title call is paid for like any other: it counts towards the sender's month. */
  usage?: UsageService;
  /** Told when no title could be written (the conversation keeps its first-line title). */
  onFailure?: (error: unknown, userId: string) => void;
  /** The answer is already shown; a title that takes longer than this is not worth waiting for. */
  timeoutMs?: number;
}

/** What the title is written from: the first exchange of a new conversation. */
export interface FirstExchange {
  userId: string;
  senderName: string;
  conversationId: string;
  /** The title the conversation was created with (its first line): replaced only if still there. */
  provisionalTitle: string;
  question: string;
  answer: string;
  /** Stamped on the conversation with the title: the answer's time, so the list's order stays. */
  answeredAt: string;
}

/** Long enough for the gist of both turns; a title call should cost next to nothing. */
const QUESTION_CHARS = 2_000;
const ANSWER_CHARS = 1_000;
const TITLE_OUTPUT_TOKENS = 30;
const TITLE_TIMEOUT_MS = 10_000;

const SYSTEM = [
  'You name chat conversations.',
  'Reply with only a title of 3 to 6 words for the conversation you are given, in the language of the user\'s message.',
  'No quotes, no Markdown, no emoji, no punctuation at the end.',
].join(' ');

/**
 * Names a new conversation after its first answer, with a model: "Weekend itinerary for Lyon"
 * rather than the first line of the question. Best effort: a failure, a timeout or an empty reply
 * leaves the first-line title, and a title the user has changed meanwhile is never overwritten.
 * It runs on its own time limit, not the request's: a user who leaves (New chat, another
 * conversation, a closed tab) right after the answer still finds the conversation named.
 */
export class TitleWriter {
  constructor(private readonly deps: TitleWriterDeps) {}

  async write(exchange: FirstExchange): Promise<string | undefined> {
    const signal = AbortSignal.timeout(this.deps.timeoutMs ?? TITLE_TIMEOUT_MS);
    try {
      const raw = await this.ask(exchange, signal);
      const title = raw === undefined ? undefined : cleanTitle(raw);
      if (title === undefined || title === exchange.provisionalTitle) return undefined;
      const current = await this.deps.conversations.get(exchange.userId, exchange.conversationId);
      // Renamed by the user while the answer streamed, or deleted: theirs to keep.
      if (current?.title !== exchange.provisionalTitle) return undefined;
      const renamed = await this.deps.conversations.rename(exchange.userId, exchange.conversationId, title, exchange.answeredAt);
      return renamed?.title;
    } catch (error) {
      this.deps.onFailure?.(signal.aborted ? new Error('the title model did not answer in time', { cause: error }) : error, exchange.userId);
      return undefined;
    }
  }

  private async ask(exchange: FirstExchange, signal: AbortSignal): Promise<string | undefined> {
    const request: ModelRequest = {
      system: SYSTEM,
      documents: [],
      messages: [{ role: 'user', content: exchangeText(exchange) }],
      maxOutputTokens: TITLE_OUTPUT_TOKENS,
    };
    let text = '';
    let usage: TokenUsage | undefined;
    for await (const event of this.deps.model.stream(request, signal)) {
      if (event.type === 'text') text += event.text;
      else usage = event.usage;
    }
    if (usage) await this.deps.usage?.record(exchange.userId, exchange.senderName, usage);
    if (signal.aborted) throw signal.reason;
    return text;
  }
}

function exchangeText({ question, answer }: FirstExchange): string {
  return [
    '<message>',
    question.slice(0, QUESTION_CHARS),
    '</message>',
    '<answer>',
    answer.slice(0, ANSWER_CHARS),
    '</answer>',
  ].join('\n');
}

/**
 * The model's reply as a title: its first line without a "Title:" label, quotes or Markdown, at
 * most six words, no closing punctuation. Undefined when nothing is left of it.
 */
export function cleanTitle(reply: string): string | undefined {
  const unlabelled = reply
    .replace(/^\s*(?:\*\*)?(?:title|titre)\s*:\s*(?:\*\*)?/i, '')
    .replace(/["“”«»„]/g, '')
    .replace(/^'+|'+$/gm, '');
  if (unlabelled.trim() === '') return undefined;
  const title = titleFromMessage(unlabelled).replace(/[?!…]+$/u, '').trim();
  return title === '' || title === titleFromMessage('') ? undefined : title;
}
