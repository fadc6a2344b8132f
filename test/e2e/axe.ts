import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once: evaluated through the DevTools protocol, which the app's CSP (no inline script) does not govern. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  /** Each offending element: its selector and what axe says is wrong with it. */
  nodes: Array<{ target: string; summary: string }>;
}

/** The impacts that fail the suite; "moderate" and "minor" are printed for a person to judge. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations; the
 * others are printed with `label`, so that they are seen without failing the run.
 */
export async function blockingViolations(page: Page, label: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  // A string: it runs in the page, whose DOM this file's types do not include.
  const findings = await page.evaluate<AxeFinding[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
      })),
    )
  `);
  const minor = findings.filter((finding) => !BLOCKING.has(finding.impact ?? ''));
  if (minor.length > 0) console.log(`axe, ${label}, not blocking:\n${describeFindings(minor)}`);
  return findings.filter((finding) => BLOCKING.has(finding.impact ?? ''));
}

/** One line a violation, then its elements: what a failed assertion prints. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((finding) => `${finding.impact} ${finding.id}: ${finding.help}\n${finding.nodes.map((node) => `  ${node.target}\n    ${node.summary.replace(/\n/g, '\n    ')}`).join('\n')}`)
    .join('\n');
}
