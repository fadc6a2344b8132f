/**
 * How a parsed CSV reads for a model: one summary line, then the header and each row on a line of
 * its own, cells separated by " | ". One record per line keeps rows countable and comparable, so a
 * line break inside a cell is written as the two characters `\n`, and a `|` inside a cell as `\|`
 * (Markdown's escape), which models read without being told.
 */
export function formatCsv(records: string[][]): string {
  const [header = [], ...rows] = records;
  const columns = Math.max(header.length, ...rows.map((row) => row.length));
  const names = header.map((name) => name.trim()).filter(Boolean);
  const summary = `CSV with ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} and ${columns} ${columns === 1 ? 'column' : 'columns'}` +
    (names.length > 0 ? `: ${names.join(', ')}` : '');
  return [summary, '', ...records.map(formatRow)].join('\n');
}

const formatRow = (cells: string[]): string => cells.map(formatCell).join(' | ');

const formatCell = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, '\\n');

const CANDIDATES = [',', ';', '\t', '|'] as const;
type Candidate = (typeof CANDIDATES)[number];
type Counts = Record<Candidate, number>;
const SNIFF_CHARS = 64 * 1024;
const SNIFF_LINES = 20;

/**
 * The field delimiter: a comma unless the first lines say otherwise. European spreadsheets write
 * `;` (the comma is their decimal mark) and TSV files a tab. The winner appears the same number of
 * times on every sampled line (outside quotes); failing that, the most frequent on the first line.
 * Only these four: guessing among every character splits a one-column file of sentences at its
 * spaces.
 */
export function sniffDelimiter(text: string): string {
  const counts = countPerLine(text.slice(0, SNIFF_CHARS));
  const first = counts[0];
  if (!first) return ',';
  const present = CANDIDATES.filter((candidate) => first[candidate] > 0);
  const consistent = present.filter((candidate) => counts.every((line) => line[candidate] === first[candidate]));
  let best: Candidate | undefined;
  for (const candidate of consistent.length > 0 ? consistent : present) {
    if (best === undefined || first[candidate] > first[best]) best = candidate;
  }
  return best ?? ',';
}

const noCounts = (): Counts => ({ ',': 0, ';': 0, '\t': 0, '|': 0 });
const isCandidate = (char: string): char is Candidate => (CANDIDATES as readonly string[]).includes(char);

/** Occurrences of each candidate outside quotes, per non-blank line of the sample. */
function countPerLine(sample: string): Counts[] {
  const lines: Counts[] = [];
  let current = noCounts();
  let blank = true;
  let quoted = false;
  for (const char of sample) {
    if (char === '"') quoted = !quoted;
    if (!quoted && char === '\n') {
      if (!blank) lines.push(current);
      if (lines.length === SNIFF_LINES) return lines;
      current = noCounts();
      blank = true;
      continue;
    }
    if (char.trim() !== '') blank = false;
    if (!quoted && isCandidate(char)) current[char] += 1;
  }
  // An unterminated last line counts only when it is the only one: elsewhere the sample's end may cut it.
  if (lines.length === 0 && !blank) lines.push(current);
  return lines;
}
