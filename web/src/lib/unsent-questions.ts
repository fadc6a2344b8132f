import type { SignedInUser } from '../auth/types';

/** Why a question did not reach the server, as the thread words it (see UnsentNotice.vue). */
export interface UnsentReason {
  code: string;
  /** The server's or the client's words (English): used for the codes without words of our own. */
  message: string;
  /** The HTTP status; 0 when the server could not be reached or did not answer. */
  status: number;
}

/**
 * Whether sending the same question again can succeed: not when the server refused it for what it
 * is (too long, too many files, a file gone, a key reused for other words: a 4xx), only when it
 * was out of reach, in trouble (5xx), out of time (408), busy (429), or still answering the first
 * try under this key. A refused one is for Edit only.
 */
export function canRetry({ code, status }: UnsentReason): boolean {
  if (status < 400 || status >= 500) return true;
  return status === 408 || status === 429 || code === 'IDEMPOTENCY_KEY_IN_USE';
}

/** A question that did not reach the server, kept to be sent again (Retry) or taken back (Edit). */
export interface UnsentQuestion {
  /** The bubble's id in the thread (never a server id). */
  id: string;
  text: string;
  fileIds: string[];
  /** The idempotency key it went out with: a Retry is the same request, so never answered twice. */
  key: string;
  timestamp: string;
  reason: UnsentReason;
}

/** Where a new chat's questions are kept until the server names the conversation. */
export const NEW_CHAT = '';

const PREFIX = 'chat.unsent.';

type Kept = Record<string, UnsentQuestion[]>;

/**
 * Unsent questions survive a reload: kept in this browser's storage per user (one entry each)
 * and per conversation. Storage that is full or refused (private browsing) keeps nothing, and the
 * thread still shows them until the page goes.
 */
export function unsentQuestions(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined, user: string) {
  // The same person however the name was typed (case, spaces), as the server derives user ids.
  const key = `${PREFIX}${user.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()}`;

  function read(): Kept {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '{}');
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Kept) : {};
    } catch {
      return {};
    }
  }

  function write(kept: Kept): void {
    try {
      const left = Object.fromEntries(Object.entries(kept).filter(([, questions]) => questions.length > 0));
      if (Object.keys(left).length === 0) storage?.removeItem(key);
      else storage?.setItem(key, JSON.stringify(left));
    } catch {
      // Full or refused: the question stays on screen, only the reload would lose it.
    }
  }

  return {
    /** The unsent questions of a conversation (NEW_CHAT: of the new chat), oldest first. */
    of(conversationId: string): UnsentQuestion[] {
      const questions = read()[conversationId];
      return Array.isArray(questions) ? questions.filter((question) => typeof question?.id === 'string' && typeof question.text === 'string') : [];
    },
    keep(conversationId: string, question: UnsentQuestion): void {
      const kept = read();
      kept[conversationId] = [...(kept[conversationId] ?? []).filter((other) => other.id !== question.id), question];
      write(kept);
    },
    forget(conversationId: string, id: string): void {
      const kept = read();
      kept[conversationId] = (kept[conversationId] ?? []).filter((question) => question.id !== id);
      write(kept);
    },
    /** A deleted conversation's: there is nothing left to send them into. */
    forgetConversation(conversationId: string): void {
      const kept = read();
      delete kept[conversationId];
      write(kept);
    },
    /** All of this user's, on an explicit sign-out: nobody who signs in here next should find them. */
    forgetAll(): void {
      write({});
    },
    /** A new chat's questions, once the server has named the conversation they are in. */
    move(from: string, to: string): void {
      const kept = read();
      if (!kept[from]?.length) return;
      kept[to] = [...(kept[to] ?? []), ...kept[from]];
      delete kept[from];
      write(kept);
    },
  };
}

export type UnsentQuestions = ReturnType<typeof unsentQuestions>;

/** The unsent questions `user` left in this browser (none kept when nobody is signed in). */
export function unsentQuestionsOf(user: SignedInUser | undefined): UnsentQuestions | undefined {
  const name = user?.email ?? user?.name;
  return name === undefined ? undefined : unsentQuestions(typeof localStorage === 'undefined' ? undefined : localStorage, name);
}
