import { answerBroken, answerNotPrepared, answerUnfinished, failureToStore } from './answer-failures.js';
import { currentMessages, regenerationTarget } from './answer-versions.js';
import { replayAnswer } from './chat-replay.js';
import {
  NO_USAGE,
  isRegenerate,
  type ChatDeps,
  type ChatEvent,
  type ChatFailure,
  type ChatOptions,
  type ChatRequest,
  type RegenerateAnswer,
} from './chat-types.js';
import { titleFromMessage, type ContextReport, type Conversation, type Message, type StopReason, type TokenUsage } from './conversation.js';
import { DomainError, conversationNotFound, invalidInput } from './errors.js';
import { buildPrompt } from './prompt/build-prompt.js';
import { estimateTokens } from './prompt/token-estimate.js';
import type { ConversationThread } from './ports/conversation-store.js';
import { readTogether } from './read-together.js';
import { requestFingerprint, type RequestClaim } from './request-claim.js';

/** Sending a message and streaming the model's answer, with everything stored on the way. */
export class ChatService {
  constructor(
    private readonly deps: ChatDeps,
    private readonly options: ChatOptions,
  ) {}

  /**
   * Stores the user's message before the model is called, then streams the answer. Whatever
   * happens after `meta` (model failure, client gone, the consumer stops reading) the streamed
   * part of the answer is stored and marked. Problems with the request itself (bad input, unknown
   * conversation or file) throw before anything is stored. A Regenerate (see `regenerate`) streams
   * the same events.
   */
  async *send(userId: string, input: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    if (isRegenerate(input)) {
      yield* this.regenerate(userId, input, signal);
      return;
    }
    const newFileIds = [...new Set(input.fileIds ?? [])];
    const text = this.checkMessage(input.message, newFileIds.length);
    if (newFileIds.length > this.options.maxFilesPerMessage) {
      throw invalidInput('TOO_MANY_FILES', `Attach at most ${this.options.maxFilesPerMessage} files to one message.`);
    }
    // What the answer needs, read at once rather than one after the other: each read is a round
    // trip on AWS, and the model waits for all of them.
    const [attached, thread, earlier] = await readTogether([
      this.deps.files.requireReady(userId, newFileIds),
      input.conversationId === undefined ? Promise.resolve(undefined) : this.requireThread(userId, input.conversationId),
      input.idempotencyKey === undefined ? Promise.resolve(undefined) : this.deps.claims.find(userId, input.idempotencyKey),
    ]);
    if (earlier) {
      // A retry of a request already made replays it, whatever the budget or rate say now: the
      // answer was paid for, and a replay calls no model.
      yield* replayAnswer(this.deps, userId, earlier, requestFingerprint(input));
      return;
    }
    const existing = thread?.conversation;
    // Over budget or over the rate: refused before anything is stored or the model is called.
    await this.deps.usage?.admit(userId);

    // One instant for everything this send stores before the answer: the claim, a new
    // conversation and the question (the answer is stamped strictly after it).
    const now = this.now();
    // The ids this send will store under, chosen before anything is stored so that a claim can name them.
    const plan = {
      conversationId: input.conversationId ?? this.deps.ids.newId(),
      userMessageId: this.deps.ids.newId(),
      answerMessageId: this.deps.ids.newId(),
    };
    if (input.idempotencyKey !== undefined) {
      const claim: RequestClaim = { key: input.idempotencyKey, fingerprint: requestFingerprint(input), ...plan, createdAt: now };
      const earlier = await this.deps.claims.claim(userId, claim);
      if (earlier) {
        yield* replayAnswer(this.deps, userId, earlier, claim.fingerprint);
        return;
      }
    }
    // Files sent without words: the conversation is named after them.
    const titleSource = text === '' ? attached.map((file) => file.fileName).join(', ') : text;
    const conversation = await this.openConversation(userId, existing, plan.conversationId, titleSource, newFileIds, now);

    const userMessage: Message = { id: plan.userMessageId, role: 'user', content: text, timestamp: now };
    if (newFileIds.length > 0) userMessage.fileIds = newFileIds;
    await this.deps.conversations.appendMessage(userId, conversation.conversationId, userMessage);
    yield {
      type: 'meta',
      conversationId: conversation.conversationId,
      userMessageId: userMessage.id,
      answerMessageId: plan.answerMessageId,
      title: conversation.title,
    };
    const sender = { userId, name: input.senderName ?? userId };
    // A new conversation has no messages before this one.
    const history = thread?.messages ?? [];
    const answered = yield* this.answer(sender, conversation, userMessage, { id: plan.answerMessageId }, history, signal);
    if (!existing && answered && this.deps.titles) {
      const title = await this.deps.titles.write(
        {
          userId,
          senderName: sender.name,
          conversationId: conversation.conversationId,
          provisionalTitle: conversation.title,
          question: text === '' ? titleSource : text,
          answer: answered.content,
          answeredAt: answered.timestamp,
        },
      );
      if (title) yield { type: 'title', title };
    }
  }

  /**
   * Answers the latest answer's question again: the question is not stored a second time, and
   * the new answer is stored as a new version of the old one (`replaces`), which is kept. Budgets,
   * rates, idempotency keys and events work as for a new message; `meta` names the existing question.
   */
  private async *regenerate(userId: string, input: RegenerateAnswer, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const { conversation, messages } = await this.requireThread(userId, input.conversationId);
    const fingerprint = requestFingerprint(input);
    if (input.idempotencyKey !== undefined) {
      // Checked before "is it the latest answer?": after the first try, it no longer is.
      const earlier = await this.deps.claims.find(userId, input.idempotencyKey);
      if (earlier) {
        yield* replayAnswer(this.deps, userId, earlier, fingerprint);
        return;
      }
    }
    const { question, answer } = regenerationTarget(messages, input.regenerate.messageId);
    await this.deps.usage?.admit(userId);

    const answerMessageId = this.deps.ids.newId();
    if (input.idempotencyKey !== undefined) {
      const claim: RequestClaim = {
        key: input.idempotencyKey,
        fingerprint,
        conversationId: conversation.conversationId,
        userMessageId: question.id,
        answerMessageId,
        createdAt: this.now(),
      };
      const earlier = await this.deps.claims.claim(userId, claim);
      if (earlier) {
        yield* replayAnswer(this.deps, userId, earlier, fingerprint);
        return;
      }
    }
    yield { type: 'meta', conversationId: conversation.conversationId, userMessageId: question.id, answerMessageId, title: conversation.title };
    const reply = { id: answerMessageId, replaces: answer.id, notBefore: answer.timestamp };
    yield* this.answer({ userId, name: input.senderName ?? userId }, conversation, question, reply, messages, signal);
  }

  /**
   * Streams and stores the answer to `question` under `reply.id`; a new version of an answer
   * names the one it `replaces` and is stamped after it (`notBefore`), so that it sorts last.
   * `earlier` is the conversation's messages as read before the question was stored.
   * Returns the answer when it was completed (not stopped, not failed).
   */
  private async *answer(
    sender: { userId: string; name: string },
    conversation: Conversation,
    question: Message,
    reply: { id: string; replaces?: string; notBefore?: string },
    earlier: Message[],
    signal: AbortSignal,
  ): AsyncGenerator<ChatEvent, Message | undefined, undefined> {
    const { userId } = sender;
    const messageId = reply.id;
    const askedAt = reply.notBefore !== undefined && reply.notBefore > question.timestamp ? reply.notBefore : question.timestamp;
    let content = '';
    let stored = false;
    let report: ContextReport | undefined;
    const store = async (stopReason: StopReason, usage: TokenUsage = NO_USAGE, error?: Message['error']) => {
      stored = true;
      const message = { id: messageId, role: 'assistant' as const, content, timestamp: this.after(askedAt), stopReason, usage };
      if (error) Object.assign(message, { error });
      if (report) Object.assign(message, { context: report });
      if (reply.replaces !== undefined) Object.assign(message, { replaces: reply.replaces });
      await this.deps.conversations.appendMessage(userId, conversation.conversationId, message);
      return message;
    };

    let preparing = true;
    /** Counts what the model used when it did not say (stopped, cut off or failed part way). */
    const countUnfinished = async () => {
      if (preparing || !report) return;
      await this.count(sender, { inputTokens: report.estimatedInputTokens, outputTokens: estimateTokens(content) });
    };
    try {
      const documents = await this.deps.files.loadDocuments(userId, conversation.fileIds);
      const history = historyUpTo(earlier, question);
      const built = buildPrompt({
        system: this.options.systemPrompt,
        documents,
        history,
        limits: this.deps.model.limits,
      });
      const { request } = built;
      report = built.report;
      preparing = false;
      let end: { stopReason: StopReason; usage: TokenUsage } | undefined;
      for await (const event of this.deps.model.stream(request, signal)) {
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
      const failure = asFailure(error, preparing, messageId);
      await store('error', NO_USAGE, failureToStore(failure.error));
      await countUnfinished();
      yield failure;
      return undefined;
    } finally {
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

  private async requireThread(userId: string, conversationId: string): Promise<ConversationThread> {
    const thread = await this.deps.conversations.read(userId, conversationId);
    if (!thread) throw conversationNotFound();
    return thread;
  }

  /** The existing conversation with the new files attached, or a new one under `newId`, titled after `text`. */
  private async openConversation(
    userId: string,
    existing: Conversation | undefined,
    newId: string,
    text: string,
    fileIds: string[],
    now: string,
  ): Promise<Conversation> {
    if (!existing) {
      const conversation: Conversation = { conversationId: newId, title: titleFromMessage(text), createdAt: now, updatedAt: now, fileIds };
      await this.deps.conversations.create(userId, conversation);
      return conversation;
    }
    const added = fileIds.filter((id) => !existing.fileIds.includes(id));
    if (added.length > 0) {
      await this.deps.conversations.attachFiles(userId, existing.conversationId, added, now);
      existing.fileIds = [...existing.fileIds, ...added];
    }
    return existing;
  }

  /** The message as stored: empty words are allowed when files are sent, and stored as ''. */
  private checkMessage(message: string, fileCount: number): string {
    if (message.trim() === '') {
      if (fileCount > 0) return '';
      throw invalidInput('EMPTY_MESSAGE', 'The message is empty: write something or attach a file.');
    }
    if (message.length > this.options.maxMessageChars) {
      throw invalidInput('MESSAGE_TOO_LONG', `The message is ${message.length} characters; the limit is ${this.options.maxMessageChars}.`);
    }
    return message;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Now, but strictly after `earlier`: an answer always sorts after its question, even within a millisecond. */
  private after(earlier: string): string {
    const now = this.deps.clock.now().getTime();
    return new Date(Math.max(now, Date.parse(earlier) + 1)).toISOString();
  }
}

/** The `error` event of an answer that failed: a DomainError as thrown, or one standing in for whatever else was. */
function asFailure(error: unknown, preparing: boolean, messageId: string): ChatFailure {
  if (error instanceof DomainError) return { type: 'error', error, messageId };
  return { type: 'error', error: preparing ? answerNotPrepared(error) : answerBroken(error), messageId, unforeseen: true };
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
