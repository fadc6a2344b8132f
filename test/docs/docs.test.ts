import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesOf, findErrorCodes } from '../support/error-codes.js';

/**
 * docs/ is written by hand, so it drifts unless something notices: a new error code the API page
 * does not list, or a file a page names that has moved or gone, fails here.
 */

const DOCS = 'docs';
const pages = readdirSync(DOCS, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.md'))
  .map((path) => join(DOCS, path));
const read = (path: string) => readFileSync(path, 'utf8');

/** Top folders of the repository a cited path can start with. */
const ROOTS = /^(src|test|web|infra|bench|examples|docs|\.ci)\//;

/** What a build or a run writes (git ignores it): a page may name it, and a clean clone has none of it yet. */
const GENERATED = /^(web\/dist|dist|\.data|test-results|coverage)(\/|$)/;

/** Repository paths in backticks: `src/domain/errors.ts`, `infra/components/`. Globs and placeholders are not paths. */
function citedPaths(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map((match) => match[1]!)
    .filter((text) => ROOTS.test(text) && !GENERATED.test(text) && !/[*<>{}]/.test(text));
}

/** Relative Markdown links, resolved against the page that holds them, without their #anchor. */
function linkedPaths(page: string, markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target))
    .map((target) => normalize(join(dirname(page), target)));
}

describe('docs/', () => {
  it('holds the four documents and the decision records', () => {
    for (const page of ['docs/api.md', 'docs/data-model.md', 'docs/architecture.md', 'docs/decisions/README.md']) {
      expect(existsSync(page), page).toBe(true);
    }
    expect(pages.filter((page) => /decisions\/\d{4}-/.test(page)).length).toBeGreaterThanOrEqual(4);
  });

  it('names only files and folders that exist', () => {
    const missing = pages.flatMap((page) => {
      const text = read(page);
      return [...citedPaths(text), ...linkedPaths(page, text)].filter((path) => !existsSync(path)).map((path) => `${page}: ${path}`);
    });
    expect(missing).toEqual([]);
  });

  it('lists every error code the server can send in docs/api.md', () => {
    const api = read('docs/api.md');
    const undocumented = codesOf(findErrorCodes(['src'])).filter((code) => !api.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});
