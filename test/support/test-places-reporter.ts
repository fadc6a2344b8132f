import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

/**
 * Says where the tests that ran live, after vitest's own summary: a team that keeps its adapter's
 * tests beside the code (src/) or in examples/ sees them counted, and a file kept where no project
 * looks is seen missing rather than silently never run. Also names every ChatModel adapter that
 * ran the contract suites (test/contracts/chat-model.contract.ts). It prints only: the exit code
 * stays vitest's.
 */

/** The place a test file counts under: its top folder, and the SPA's sources apart from the rest of web/. */
function placeOf(file: string): string {
  if (file.startsWith('web/src/')) return 'web/src/';
  const slash = file.indexOf('/');
  return slash === -1 ? './' : file.slice(0, slash + 1);
}

/** The contract suites name their describe blocks `ChatModel contract: <adapter>` and `ChatModel failure contract: <adapter>`. */
const CONTRACT_SUITE = /^(ChatModel (?:failure )?contract): (.+?) > /;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

interface Tally {
  files: number;
  ran: number;
  skipped: number;
}

export default class TestPlacesReporter implements Reporter {
  private root = process.cwd();
  private log: (line: string) => void = (line) => console.log(line);

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.log = (line) => vitest.logger.log(line);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (testModules.length === 0) return;
    const places = new Map<string, Tally>();
    /** Per suite, each adapter it ran on and whether every test passed. */
    const suites = new Map<string, Map<string, boolean>>();
    for (const module of testModules) {
      const place = placeOf(relative(this.root, module.moduleId));
      const tally = places.get(place) ?? { files: 0, ran: 0, skipped: 0 };
      places.set(place, tally);
      tally.files += 1;
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed' || state === 'failed') tally.ran += 1;
        else tally.skipped += 1;
        const [, suite, adapter] = CONTRACT_SUITE.exec(test.fullName) ?? [];
        if (suite && adapter && (state === 'passed' || state === 'failed')) {
          const adapters = suites.get(suite) ?? new Map<string, boolean>();
          suites.set(suite, adapters.set(adapter, (adapters.get(adapter) ?? true) && state === 'passed'));
        }
      }
    }
    const width = Math.max(...[...places.keys()].map((place) => place.length));
    this.log('');
    this.log(' Where the tests that ran live (files, tests):');
    for (const [place, { files, ran, skipped }] of [...places].sort(([a], [b]) => a.localeCompare(b))) {
      const extra = skipped > 0 ? `, ${skipped} skipped` : '';
      this.log(`   ${place.padEnd(width)}  ${plural(files, 'file')}, ${plural(ran, 'test')}${extra}`);
    }
    for (const [suite, adapters] of [...suites].sort(([a], [b]) => a.localeCompare(b))) {
      const failing = [...adapters].filter(([, passed]) => !passed).map(([name]) => name);
      const verdict = failing.length === 0 ? 'all pass' : `failing: ${failing.join('; ')}`;
      this.log(` ${suite} ran on ${plural(adapters.size, 'adapter')} (${verdict}): ${[...adapters.keys()].join('; ')}`);
    }
  }
}
