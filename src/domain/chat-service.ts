import { AnswerWriter, type Opening } from './answer-writer.js';
import { regenerationTarget } from './answer-versions.js';
import { checkQuestion } from './chat-input.js';
import { replayAnswer } from './chat-replay.js';
import { isRegenerate, type ChatDeps, type ChatEvent, type ChatOptions, type ChatRequest, type RegenerateAnswer } from './chat-types.js';
import { titleFromMessage, type Conversation, type Message } from './conversation.js';
import { conversationNotFound } from './errors.js';
import type { SourceDocument } from './prompt/build-prompt.js';
import type { ConversationThread } from './ports/conversation-store.js';
import { readTogether } from './read-together.js';
import { requestFingerprint, type RequestClaim } from './request-claim.js';

/** Sending a message and streaming the model's answer, with everything stored on the way. */
export class ChatService {
  private readonly answers: AnswerWriter;

  constructor(
    private readonly deps: ChatDeps,
    private readonly options: ChatOptions,
  ) {
    this.answers = new AnswerWriter(deps, options);
  }

  /**
   * Streams the answer to a new message. Before the model is asked, the store is read in two
   * rounds of parallel calls (the conversation with its messages, the new files, an earlier claim
   * of the idempotency key and the spending check; then the claim and the files' texts), and the
   * question is stored while the model's request is on its way: `meta`, the acknowledgement, comes
   * once it is stored. Problems with the request, and a question that could not be stored, throw
   * before `meta`, leaving nothing behind. Whatever happens after `meta` (model failure, client
   * gone, the consumer stops reading) the streamed part of the answer is stored and marked. A
   * Regenerate (see `regenerate`) streams the same events.
   */
  async *send(userId: string, input: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    if (isRegenerate(input)) {
      yield* this.regenerate(userId, input, signal);
      return;
    }
    const newFileIds = [...new Set(input.fileIds ?? [])];
    const text = checkQuestion(input.message, newFileIds.length, this.options);
    const fingerprint = requestFingerprint(input);
    const admission = this.admission(userId);
    const [attached, thread, earlier] = await readTogether([
      this.deps.files.requireReady(userId, newFileIds),
      input.conversationId === undefined ? Promise.resolve(undefined) : this.requireThread(userId, input.conversationId),
      input.idempotencyKey === undefined ? Promise.resolve(undefined) : this.deps.claims.find(userId, input.idempotencyKey),
    ]);
    if (earlier) {
      // A retry of a request already made replays it, whatever the budget or rate say now: the
      // answer was paid for, and a replay calls no model.
      yield* replayAnswer(this.deps, userId, earlier, fingerprint);
      return;
    }
    // Over budget: refused before anything is stored or the model is called (over the rate: in the second round).
    await admitted(admission);

    const existing = thread?.conversation;
    // One instant for everything stored before the answer (the answer is stamped strictly after it).
    const now = this.now();
    // The ids this send will store under, chosen first so that a claim can name them.
    const plan = { conversationId: existing?.conversationId ?? this.deps.ids.newId(), userMessageId: this.deps.ids.newId(), answerMessageId: this.deps.ids.newId() };
    const added = newFileIds.filter((id) => !existing?.fileIds.includes(id));
    const fileIds = [...(existing?.fileIds ?? []), ...added];
    const claim = input.idempotencyKey === undefined ? undefined : { key: input.idempotencyKey, fingerprint, ...plan, createdAt: now };
    const prepared = await this.claimAndRead(userId, claim, fileIds);
    if ('replay' in prepared) {
      yield* replayAnswer(this.deps, userId, prepared.replay, fingerprint);
      return;
    }

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
      notStored: () => this.giveUp(userId, claim),
    };
    const sender = { userId, name: input.senderName ?? userId };
    const reply = { id: plan.answerMessageId };
    const answered = yield* this.answers.write(sender, conversation, question, reply, { earlier: thread?.messages ?? [], documents: prepared.documents }, opening, signal);
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
   * rates, idempotency keys, the two rounds of reads and events work as for a new message; `meta`
   * names the existing question.
   */
  private async *regenerate(userId: string, input: RegenerateAnswer, signal: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
    const fingerprint = requestFingerprint(input);
    const admission = this.admission(userId);
    const [thread, earlier] = await readTogether([
      this.requireThread(userId, input.conversationId),
      input.idempotencyKey === undefined ? Promise.resolve(undefined) : this.deps.claims.find(userId, input.idempotencyKey),
    ]);
    // Checked before "is it the latest answer?": after the first try, it no longer is.
    if (earlier) {
      yield* replayAnswer(this.deps, userId, earlier, fingerprint);
      return;
    }
    const { conversation, messages } = thread;
    const { question, answer } = regenerationTarget(messages, input.regenerate.messageId);
    await admitted(admission);

    const answerMessageId = this.deps.ids.newId();
    const { conversationId } = conversation;
    const claim = input.idempotencyKey === undefined ? undefined : { key: input.idempotencyKey, fingerprint, conversationId, userMessageId: question.id, answerMessageId, createdAt: this.now() };
    const prepared = await this.claimAndRead(userId, claim, conversation.fileIds);
    if ('replay' in prepared) {
      yield* replayAnswer(this.deps, userId, prepared.replay, fingerprint);
      return;
    }
    const opening: Opening = {
      // The question is stored already: the answer's stream opens with nothing to write.
      store: () => Promise.resolve(),
      meta: { type: 'meta', conversationId, userMessageId: question.id, answerMessageId, title: conversation.title },
      notStored: () => this.giveUp(userId, claim),
    };
    const reply = { id: answerMessageId, replaces: answer.id, notBefore: answer.timestamp };
    yield* this.answers.write({ userId, name: input.senderName ?? userId }, conversation, question, reply, { earlier: messages, documents: prepared.documents }, opening, signal);
  }

  /**
   * The second round: the claim of the idempotency key, the texts of the conversation's files,
   * and the message counted towards the rate (only now, so that a request refused in the first
   * round, or replayed, is not counted). A claim won for a request that then cannot go on is given up.
   */
  private async claimAndRead(userId: string, claim: RequestClaim | undefined, fileIds: string[]): Promise<{ replay: RequestClaim } | { documents: SourceDocument[] }> {
    const [claimed, read, counted] = await Promise.allSettled([
      claim ? this.deps.claims.claim(userId, claim) : Promise.resolve(undefined),
      this.deps.files.loadDocuments(userId, fileIds),
      this.deps.usage?.countMessage(userId),
    ]);
    if (claimed.status === 'fulfilled' && claimed.value) return { replay: claimed.value };
    // A claim that failed may have been written all the same (a timeout): ours is given up too.
    const failed = [claimed, counted, read].find((outcome) => outcome.status === 'rejected');
    if (failed) {
      await this.giveUp(userId, claim);
      throw failed.reason;
    }
    return { documents: (read as PromiseFulfilledResult<SourceDocument[]>).value };
  }

  /**
   * A follow-up's question, and the files it brings added to the conversation first: a question
   * stored whose files could not be attached would stay, unacknowledged, for a retry to store again.
   */
  private async storeFollowUp(userId: string, conversationId: string, added: string[], question: Message, now: string): Promise<void> {
    if (added.length > 0) await this.deps.conversations.attachFiles(userId, conversationId, added, now);
    await this.deps.conversations.appendMessage(userId, conversationId, question);
  }

  /** Releases the claim of a request that stored nothing, so that its retry is answered. Best effort: the request's own error is what the client hears. */
  private async giveUp(userId: string, claim: RequestClaim | undefined): Promise<void> {
    if (claim) await this.deps.claims.release(userId, claim.key, claim.answerMessageId).catch(() => undefined);
  }

  /**
   * The budget, checked while the first round of reads is out. The refusal is kept, not thrown,
   * until it is known that this is not a replay: a replay is never refused.
   */
  private admission(userId: string): Promise<{ refusal: unknown } | undefined> {
    if (!this.deps.usage) return Promise.resolve(undefined);
    return this.deps.usage.checkBudget(userId).then(
      () => undefined,
      (refusal: unknown) => ({ refusal }),
    );
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


/** Throws the refusal `admission` kept, if any. */
async function admitted(admission: Promise<{ refusal: unknown } | undefined>): Promise<void> {
  const outcome = await admission;
  if (outcome) throw outcome.refusal;
}
