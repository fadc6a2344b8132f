import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Bring your own model" shows the example module and its contract test whole, as
 * code blocks; the files in examples/ are what `npm test` runs. Copied by hand they would drift
 * apart, so each file must stand in the README exactly as it is on disk.
 */

const README = readFileSync('README.md', 'utf8');

/** The body of every fenced code block of a language, without its fences. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);
}

describe('README "Bring your own model"', () => {
  it.each(['examples/echo-model/echo-model.ts', 'examples/echo-model/echo-model.test.ts'])('shows %s exactly as it is', (file) => {
    expect(codeBlocks(README, 'ts')).toContain(readFileSync(file, 'utf8'));
  });

  it('starts the example with the command the module itself names', () => {
    const command = /^\/\/ (MODEL_PROVIDER=module:\S+ npm start)$/m.exec(readFileSync('examples/echo-model/echo-model.ts', 'utf8'))?.[1];
    expect(command).toBeDefined();
    const shown = codeBlocks(README, 'sh').some((block) => block.includes(command!.replace(' npm start', '')));
    expect(shown).toBe(true);
  });
});
