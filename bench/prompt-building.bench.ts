import type { Message } from '../src/domain/conversation.js';
import { buildPrompt, type SourceDocument } from '../src/domain/prompt/build-prompt.js';
import type { BenchResult } from './support/report.js';

const RUNS = 200;
const GOAL_MS = 5;

/** A conversation of `count` messages of about 650 characters each, ending with the user's new one. */
function conversation(count: number): Message[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, n) => ({
    id: `m${n}`,
    role: (count - 1 - n) % 2 === 0 ? 'user' : 'assistant',
    content: `Message ${n}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(8)}`,
    timestamp: new Date(start + n * 1000).toISOString(),
  }));
}

/** Files from 2 KB to about 1 MB of text: some fit whole, the largest are cut. */
function documents(count: number): SourceDocument[] {
  return Array.from({ length: count }, (_, n) => {
    const text = `File ${n}. ${'A line of extracted text, as a PDF or a CSV gives it.\n'.repeat(40 * 2 ** Math.min(n, 9))}`;
    return { fileId: `f${n}`, fileName: `file-${n}.txt`, size: text.length, text };
  });
}

function medianMs(work: () => unknown): number {
  for (let i = 0; i < 20; i++) work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const began = performance.now();
    work();
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/**
 * Building one turn's prompt (token estimates, history newest-first within the budget, files fitted
 * or cut) for 1,000 messages and 10 files, against the least any builder must do: reading every
 * character of the same input once (a join of all texts).
 */
export async function promptBuildingBench(): Promise<BenchResult> {
  const limits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
  const rows = [];
  for (const [messages, files] of [
    [10, 0],
    [100, 3],
    [1000, 10],
  ] as const) {
    const history = conversation(messages);
    const docs = documents(files);
    const inputChars = history.reduce((sum, m) => sum + m.content.length, 0) + docs.reduce((sum, d) => sum + d.text.length, 0);
    const baseline = medianMs(() => [...history.map((m) => m.content), ...docs.map((d) => d.text)].join('').length);
    const ms = medianMs(() => buildPrompt({ system: 'You are helpful.', documents: docs, history, limits }));
    const { report } = buildPrompt({ system: 'You are helpful.', documents: docs, history, limits });
    rows.push({
      messages,
      files,
      'input (MB)': inputChars / 1e6,
      'read-once baseline (ms)': baseline,
      'build (ms)': ms,
      ratio: ms / baseline,
      'goal (ms)': GOAL_MS,
      'messages kept': report.includedMessages,
      'files cut': report.truncatedFileIds.length,
    });
  }
  return {
    name: 'prompt building',
    description: `median of ${RUNS} builds; baseline: one pass joining every text of the same input (goal: under ${GOAL_MS} ms at 1,000 messages and 10 files)`,
    rows,
  };
}
