import { answerBroken, answerUnfinished, failureToStore } from './answer-failures.js';
import { currentMessages } from './answer-versions.js';
import { NO_USAGE, type ChatDeps, type ChatEvent, type ChatFailure, type ChatOptions } from './chat-types.js';
import type { Conversation, Message, StopReason, TokenUsage } from './conversation.js';
import { DomainError } from './errors.js';
import { buildPrompt, type SourceDocument } from './prompt/build-prompt.js';
import { estimateTokens } from './prompt/token-estimate.js';
import { linkedSignal } from './linked-signal.js';
import { startEarly } from './started-stream.js';

/** Why the model's call is closed (made once: an abort without a reason builds a DOMException each time). */
const QUESTION_NOT_STORED = new Error('the question could not be stored');
const ANSWER_OVER = new Error('the answer no longer reads the model');

/**
 * How an answer's stream opens: what to store first (the question, or nothing for a Regenerate),
 * the `meta` that says it is stored, and what to undo when it could not be (the claim of its key).
 */
export interface Opening {
  store(): Promise<void>;
  meta: Extract<ChatEvent, { type: 'meta' }>;
  notStored(): Promise<void>;
}

/** The model's answer to one question, streamed and stored, and counted towards the sender's month. */
export class AnswerWriter {
  constructor(
    private readonly deps: Pick<ChatDeps, 'conversations' | 'model' | 'clock' | 'usage' | 'onUsageNotRecorded'>,
    private readonly options: Pick<ChatOptions, 'systemPrompt'>,
  ) {}

  /**
   * Streams and stores the answer to `question` under `reply.id`; a new version of an answer
   * names the one it `replaces` and is stamped after it (`notBefore`), so that it sorts last.
   * The model is asked first; `opening` stores the question meanwhile, and its `meta` follows once
   * it is stored. `read` holds the conversation's messages as read before the question was stored,
   * and the files' texts. Returns the answer when it was completed (not stopped, not failed).
   */
  async *write(
    sender: { userId: string; name: string },
    conversation: Conversation,
    question: Message,
    reply: { id: string; replaces?: string; notBefore?: string },
    read: { earlier: Message[]; documents: SourceDocument[] },
    opening: Opening,
    signal: AbortSignal,
  ): AsyncGenerator<ChatEvent, Message | undefined, undefined> {
    const { userId } = sender;
    const messageId = reply.id;
    const askedAt = reply.notBefore !== undefined && reply.notBefore > question.timestamp ? reply.notBefore : question.timestamp;
    // Stamped (and so sorted) when it begins, not when it is stored: an answer stopped late, stored
    // after the question the user sent once it showed stopped, still reads before that question.
    const answeredAt = this.after(askedAt);
    const { request, report } = buildPrompt({
      system: this.options.systemPrompt,
      documents: read.documents,
      history: historyUpTo(read.earlier, question),
      limits: this.deps.model.limits,
    });

    // The model's first token takes far longer than storing the question: both start now.
    const storing = opening.store();
    // Awaited below; until then its failure is not an unhandled rejection.
    storing.catch(() => undefined);
    const call = linkedSignal(signal);
    const model = startEarly(() => this.deps.model.stream(request, call.signal));
    try {
      await storing;
    } catch (error) {
      // Not acknowledged, so not kept: the model's call is closed, the claim given up, and the client told.
      call.abort(QUESTION_NOT_STORED);
      model.abandon();
      await opening.notStored();
      throw error;
    }

    let content = '';
    let stored = false;
    const store = async (stopReason: StopReason, usage: TokenUsage = NO_USAGE, error?: Message['error']) => {
      stored = true;
      const message = { id: messageId, role: 'assistant' as const, content, timestamp: answeredAt, stopReason, usage, context: report };
      if (error) Object.assign(message, { error });
      if (reply.replaces !== undefined) Object.assign(message, { replaces: reply.replaces });
      await this.deps.conversations.appendMessage(userId, conversation.conversationId, message);
      return message;
    };
    /** Counts what the model used when it did not say (stopped, cut off or failed part way). */
    const countUnfinished = () => this.count(sender, { inputTokens: report.estimatedInputTokens, outputTokens: estimateTokens(content) });
    try {
      yield opening.meta;
      let end: { stopReason: StopReason; usage: TokenUsage } | undefined;
      for await (const event of model.events) {
        if (event.type === 'text') {
          content += event.text;
          yield { type: 'delta', text: event.text };
        } else {
          end = event;
        }
      }
      if (signal.aborted) return undefined; // stored as aborted below
      if (!end) throw answerUnfinished();
      const message = await store(end.stopReason, end.usage);
      await this.count(sender, end.usage);
      yield { type: 'done', message, context: report };
      return message;
    } catch (error) {
      if (stored) throw error; // the store failed: nothing more can be kept
      if (signal.aborted) return undefined;
      const failure = asFailure(error, messageId);
      await store('error', NO_USAGE, failureToStore(failure.error));
      await countUnfinished();
      yield failure;
      return undefined;
    } finally {
      // The model's call is over, or closed now: the consumer may have stopped reading before any of it (at meta).
      call.abort(ANSWER_OVER);
      model.abandon();
      // Reached without storing when the client went away or the consumer stopped reading.
      if (!stored) {
        await store('aborted');
        await countUnfinished();
      }
    }
  }

  /**
   * Adds the answer's cost to the sender's month. The answer is stored and was shown by now: a
   * ledger that still fails after its client's retries loses this one count, not the answer, and
   * is reported (`onUsageNotRecorded`) so that budgets do not silently stop being kept.
   */
  private async count(sender: { userId: string; name: string }, usage: TokenUsage): Promise<void> {
    try {
      await this.deps.usage?.record(sender.userId, sender.name, usage);
    } catch (error) {
      this.deps.onUsageNotRecorded?.(error, sender.userId);
    }
  }

  /** Now, but strictly after `earlier`: an answer always sorts after its question, even within a millisecond. */
  private after(earlier: string): string {
    const now = this.deps.clock.now().getTime();
    return new Date(Math.max(now, Date.parse(earlier) + 1)).toISOString();
  }
}

/** The `error` event of an answer that failed: a DomainError as thrown, or one standing in for whatever else was. */
function asFailure(error: unknown, messageId: string): ChatFailure {
  if (error instanceof DomainError) return { type: 'error', error, messageId };
  return { type: 'error', error: answerBroken(error), messageId, unforeseen: true };
}

/**
 * The history this answer is for: everything up to and including its question. The messages were
 * read before the question was stored (a new question is not among them yet; a regenerated
 * answer's question is); another send to the same conversation (a second tab, a retry) may store
 * its own question or answer meanwhile, which belong to that send's prompt, not to this one.
 */
function historyUpTo(messages: Message[], question: Message): Message[] {
  // As the conversation reads now: an answer regenerated meanwhile stands where it was, newest version.
  const current = currentMessages(messages);
  const index = current.findIndex((message) => message.id === question.id);
  return index === -1 ? [...current, question] : current.slice(0, index + 1);
}
