/**
 * `npm run bench`: every benchmark, each figure next to its baseline, printed as tables and
 * written to bench/results/latest.json. Figures, never assertions: these machines are shared.
 * `npm run bench -- prompt cost` runs only the benchmarks whose names contain one of the words
 * (and then writes bench/results/partial.json, leaving latest.json alone).
 */
import { coldStartBench } from './cold-start.bench.js';
import { costModelBench } from './cost-model.bench.js';
import { extractionBench } from './extraction.bench.js';
import { historyAppendBench } from './history-append.bench.js';
import { lambdaBundlesBench } from './lambda-bundles.bench.js';
import { promptBuildingBench } from './prompt-building.bench.js';
import { requestOverheadBench } from './request-overhead.bench.js';
import { streamingBench } from './streaming.bench.js';
import { timeToModelBench } from './time-to-model.bench.js';
import { webBench } from './web.bench.js';
import { printTable, writeResults, type BenchResult } from './support/report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const benchmarks: Record<string, () => Promise<BenchResult>> = {
  'request-overhead': requestOverheadBench,
  'time-to-model': timeToModelBench,
  'cold-start': coldStartBench,
  streaming: streamingBench,
  'history-append': historyAppendBench,
  'prompt-building': promptBuildingBench,
  extraction: extractionBench,
  'lambda-bundles': lambdaBundlesBench,
  'cost-model': costModelBench,
  web: webBench,
};

const filters = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = Object.entries(benchmarks).filter(([name]) => filters.length === 0 || filters.some((word) => name.includes(word)));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${filters.join(' ')}; there are: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(1);
}

const results: BenchResult[] = [];
for (const [, bench] of chosen) {
  const result = await bench();
  printTable(result);
  results.push(result);
}
console.log(`\nwritten to ${writeResults(results, 'bench/results', filters.length === 0 ? 'latest.json' : 'partial.json')}`);
