import type { Clock } from '../../src/domain/ports/clock.js';
import type { IdGenerator } from '../../src/domain/ports/id-generator.js';
import type { ChatModel, ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';

/** A clock that starts at a fixed instant and moves one millisecond each time it is read. */
export class FixedClock implements Clock {
  private current: number;

  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current++);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Ids `id-0001`, `id-0002`, ... in order. */
export class SequentialIds implements IdGenerator {
  private next = 1;

  constructor(private readonly prefix = 'id') {}

  newId(): string {
    return `${this.prefix}-${String(this.next++).padStart(4, '0')}`;
  }
}

export type Script = (request: ModelRequest, signal: AbortSignal) => AsyncIterable<ModelEvent>;

/**
 * A model whose answer the test writes: it records every request it gets, so tests can check
 * the prompt, and plays the script given (text, failures, hangs).
 */
export class ScriptedModel implements ChatModel {
  readonly modelId = 'scripted';
  readonly requests: ModelRequest[] = [];

  constructor(
    private script: Script = replyWith('Hello', ' world'),
    readonly limits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 },
  ) {}

  play(script: Script): void {
    this.script = script;
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    this.requests.push(structuredClone(request));
    return this.script(request, signal);
  }
}

/** A script that streams the given pieces and ends normally. */
export function replyWith(...pieces: string[]): Script {
  return async function* () {
    for (const text of pieces) yield { type: 'text', text };
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: pieces.length } };
  };
}

/** A script that streams the given pieces, then throws. */
export function failAfter(error: Error, ...pieces: string[]): Script {
  return async function* () {
    for (const text of pieces) yield { type: 'text', text };
    throw error;
  };
}

/** A script that streams the given pieces, then waits until the signal aborts. */
export function hangAfter(...pieces: string[]): Script {
  return async function* (_request, signal) {
    for (const text of pieces) yield { type: 'text', text };
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  };
}
