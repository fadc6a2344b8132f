import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  [column: string]: string | number;
}

export interface BenchResult {
  name: string;
  /** What the figures mean, in a sentence. */
  description: string;
  rows: Row[];
}

/** Prints rows as an aligned table. */
export function printTable(result: BenchResult): void {
  console.log(`\n${result.name}: ${result.description}`);
  const columns = Object.keys(result.rows[0] ?? {});
  const cells = [columns, ...result.rows.map((row) => columns.map((column) => format(row[column])))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => String(line[index]).length)));
  for (const [index, line] of cells.entries()) {
    console.log(line.map((cell, column) => String(cell).padStart(widths[column]!)).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

export function writeResults(results: BenchResult[], dir = 'bench/results', fileName = 'latest.json'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName);
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
  return file;
}

function format(value: string | number | undefined): string {
  if (typeof value !== 'number') return value ?? '';
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
}
