/**
 * `npm run bench`: every benchmark, each figure next to its baseline, printed as tables and
 * written to bench/results/latest.json. Figures, never assertions: these machines are shared.
 */
import { historyAppendBench } from './history-append.bench.js';
import { lambdaBundlesBench } from './lambda-bundles.bench.js';
import { streamingBench } from './streaming.bench.js';
import { printTable, writeResults, type BenchResult } from './support/report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const benchmarks: Array<() => Promise<BenchResult>> = [historyAppendBench, lambdaBundlesBench, streamingBench];

const results: BenchResult[] = [];
for (const bench of benchmarks) {
  const result = await bench();
  printTable(result);
  results.push(result);
}
console.log(`\nwritten to ${writeResults(results)}`);
