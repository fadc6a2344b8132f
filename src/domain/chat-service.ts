import { AnswerWriter, type Opening } from './answer-writer.js';
import { regenerationTarget } from './answer-versions.js';
import { checkQuestion } from './chat-input.js';
import { claimAbandoned, replayAnswer } from './chat-replay.js';
import { ConversationFileHints } from './conversation-file-hints.js';
import { firstRound } from './first-round.js';
import { isRegenerate, type ChatDeps, type ChatEvent, type ChatOptions, type ChatRequest, type RegenerateAnswer, type SendMessage } from './chat-types.js';
import { titleFromMessage, type Conversation, type Message } from './conversation.js';
import { conversationNotFound } from './errors.js';
import type { ConversationThread } from './ports/conversation-store.js';
import { readTogether } from './read-together.js';
import { requestFingerprint } from './request-claim.js';

/** Sending a message and streaming the model's answer, with everything stored on the way. */
export class ChatService {
  private readonly answers: AnswerWriter;
  private readonly fileHints = new ConversationFileHints();

  constructor(
    private readonly deps: ChatDeps,
    private readonly options: ChatOptions,
  ) {
    this.answers = new AnswerWriter(deps, options);
  }

  /**
   * Streams the answer to a new message. Before the model is asked, the store is called in one
   * round (see first-round.ts): the conversation with its messages, the records of its files and of
   * the new ones, the claim of the idempotency key, the budget and the rate. The files' texts come
   * from memory when this process read them before; the records of files the conversation names
   * and this process did not guess are read in a second round. The question is stored while the
   * model's request is on its way: `meta`, the acknowledgement, comes once it is stored. Problems
   * with the request, and a question that could not be stored, throw before `meta`, leaving
   * nothing behind. Whatever happens after `meta` (model failure, client gone, the consumer stops
   * reading) the streamed part of the answer is stored and marked. A Regenerate (see
   * `regenerate`) streams the same events.
   */
  send(userId: string, input: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    // Handed over, not delegated with `yield*`: each layer of async generators costs every event a promise.
    return isRegenerate(input) ? this.regenerate(userId, input, signal) : this.sendMessage(userId, input, signal, false);
  }

  /** `retaking`: this is the second try of a request whose earlier claim was found abandoned. */
  private async *sendMessage(userId: string, input: SendMessage, signal: AbortSignal, retaking: boolean): AsyncGenerator<ChatEvent, void, undefined> {
    const newFileIds = [...new Set(input.fileIds ?? [])];
    const text = checkQuestion(input.message, newFileIds.length, this.options);
    const fingerprint = requestFingerprint(input);
    // One instant for everything stored before the answer (the answer is stamped strictly after it).
    const now = this.now();
    // The ids this send will store under, chosen first so that the claim, sent with the reads, can name them.
    const plan = { conversationId: input.conversationId ?? this.deps.ids.newId(), userMessageId: this.deps.ids.newId(), answerMessageId: this.deps.ids.newId() };
    const claim = input.idempotencyKey === undefined ? undefined : { key: input.idempotencyKey, fingerprint, ...plan, createdAt: now };
    const guessed = input.conversationId === undefined ? [] : this.fileHints.guess(userId, input.conversationId);
    // The new files are checked as soon as their records are read: a message wrong in two ways is
    // told of its files first, and one refused for them is neither replayed nor counted.
    const readFiles = this.deps.files.records(userId, [...new Set([...newFileIds, ...guessed])]).then((records) => ({ records, attached: this.deps.files.requireReady(newFileIds, records) }));
    const round = await firstRound(this.deps, userId, claim && { claim }, [
      readFiles,
      input.conversationId === undefined ? Promise.resolve(undefined) : this.requireThread(userId, input.conversationId),
    ] as const);
    if ('replay' in round) {
      if (!retaking && (await claimAbandoned(this.deps, userId, round.replay))) {
        // Its request stored nothing and could not give the key up (the store failing twice): taken over.
        await this.deps.claims.release(userId, round.replay.key, round.replay.answerMessageId);
        yield* this.sendMessage(userId, input, signal, true);
        return;
      }
      yield* replayAnswer(this.deps, userId, round.replay, fingerprint);
      return;
    }
    const [{ records, attached }, thread] = round.read;
    const existing = thread?.conversation;
    const added = newFileIds.filter((id) => !existing?.fileIds.includes(id));
    const fileIds = [...(existing?.fileIds ?? []), ...added];
    const documents = await round.orGiveBack(() => this.deps.files.loadDocuments(userId, fileIds, records));
    this.fileHints.remember(userId, plan.conversationId, fileIds);

    // Files sent without words: the conversation is named after them.
    const titleSource = text === '' ? attached.map((file) => file.fileName).join(', ') : text;
    const conversation: Conversation = existing
      ? { ...existing, fileIds }
      : { conversationId: plan.conversationId, title: titleFromMessage(titleSource), createdAt: now, updatedAt: now, fileIds };
    const question: Message = { id: plan.userMessageId, role: 'user', content: text, timestamp: now };
    if (newFileIds.length > 0) question.fileIds = newFileIds;
    const { conversationId } = conversation;
    const opening: Opening = {
      store: existing
        ? () => this.storeFollowUp(userId, conversationId, added, question, now)
        : () => this.deps.conversations.start(userId, conversation, question),
      meta: { type: 'meta', conversationId, userMessageId: question.id, answerMessageId: plan.answerMessageId, title: conversation.title },
      notStored: () => round.giveBack(),
    };
    const sender = { userId, name: input.senderName ?? userId };
    const reply = { id: plan.answerMessageId };
    const answered = yield* this.answers.write(sender, conversation, question, reply, { earlier: thread?.messages ?? [], documents }, opening, signal);
    if (!existing && answered && this.deps.titles) {
      const title = await this.deps.titles.write({
        userId,
        senderName: sender.name,
        conversationId,
        provisionalTitle: conversation.title,
        question: text === '' ? titleSource : text,
        answer: answered.content,
        answeredAt: answered.timestamp,
      });
      if (title) yield { type: 'title', title };
    }
  }

  /**
   * Answers the latest answer's question again: the question is not stored a second time, and
   * the new answer is stored as a new version of the old one (`replaces`), which is kept. Budgets,
   * rates, idempotency keys and events work as for a new message; `meta` names the existing
   * question. Two rounds: the claim names the question, which only the conversation's read tells.
   */
  private async *regenerate(userId: string, input: RegenerateAnswer, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const fingerprint = requestFingerprint(input);
    const key = input.idempotencyKey;
    const guessed = this.fileHints.guess(userId, input.conversationId);
    // The earlier claim is looked for before "is it the latest answer?" (after the first try, it no
    // longer is); that is asked before the budget and the rate.
    const round = await firstRound(
      this.deps,
      userId,
      key === undefined ? undefined : { find: key },
      [this.requireThread(userId, input.conversationId), this.deps.files.records(userId, guessed)] as const,
      ([thread]) => regenerationTarget(thread.messages, input.regenerate.messageId),
    );
    if ('replay' in round) {
      yield* replayAnswer(this.deps, userId, round.replay, fingerprint);
      return;
    }
    const [{ conversation, messages }, records] = round.read;
    const target = round.checked;
    const answerMessageId = this.deps.ids.newId();
    const { conversationId } = conversation;
    const claim = key === undefined ? undefined : { key, fingerprint, conversationId, userMessageId: target.question.id, answerMessageId, createdAt: this.now() };
    const [earlier, documents] = await round.orGiveBack(
      () => readTogether([claim ? this.deps.claims.claim(userId, claim) : Promise.resolve(undefined), this.deps.files.loadDocuments(userId, conversation.fileIds, records)]),
      claim,
    );
    if (earlier) {
      await round.takeBackCount();
      yield* replayAnswer(this.deps, userId, earlier, fingerprint);
      return;
    }
    this.fileHints.remember(userId, conversationId, conversation.fileIds);
    const opening: Opening = {
      // The question is stored already: the answer's stream opens with nothing to write.
      store: () => Promise.resolve(),
      meta: { type: 'meta', conversationId, userMessageId: target.question.id, answerMessageId, title: conversation.title },
      notStored: () => round.giveBack(claim),
    };
    const reply = { id: answerMessageId, replaces: target.answer.id, notBefore: target.answer.timestamp };
    yield* this.answers.write({ userId, name: input.senderName ?? userId }, conversation, target.question, reply, { earlier: messages, documents }, opening, signal);
  }

  /**
   * A follow-up's question, and the files it brings added to the conversation first: a question
   * stored whose files could not be attached would stay, unacknowledged, for a retry to store again.
   */
  private async storeFollowUp(userId: string, conversationId: string, added: string[], question: Message, now: string): Promise<void> {
    if (added.length > 0) await this.deps.conversations.attachFiles(userId, conversationId, added, now);
    await this.deps.conversations.appendMessage(userId, conversationId, question);
  }

  private async requireThread(userId: string, conversationId: string): Promise<ConversationThread> {
    const thread = await this.deps.conversations.read(userId, conversationId);
    if (!thread) throw conversationNotFound();
    return thread;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

}
