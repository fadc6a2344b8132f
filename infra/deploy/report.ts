import type { CheckResult } from './checks/check-result.js';

const MARK = { ok: '✔', missing: '✘', skipped: '–' } as const;

/** One line per check, its fix indented under it, then a summary naming what is missing. */
export function formatReport(results: readonly CheckResult[], stack: string): string {
  const lines = results.flatMap((result) => [
    `${MARK[result.status]} ${result.label}: ${result.detail}`,
    ...(result.status === 'missing' && result.fix ? [`    fix: ${result.fix}`] : []),
  ]);
  const absent = results.filter((result) => result.status === 'missing').map((result) => result.name);
  const summary = absent.length > 0 ? `Missing: ${absent.join(', ')}` : `Ready: stack ${stack} can be deployed (npm run deploy).`;
  return [...lines, '', summary].join('\n');
}

/** 0 when nothing needed is missing. */
export const exitCode = (results: readonly CheckResult[]): number => (results.some((result) => result.status === 'missing') ? 1 : 0);
