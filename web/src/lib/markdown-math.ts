import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

/**
 * Finds the math in an answer (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) and marks it up as placeholders:
 * `<span class="math" data-math="$">$x^2$</span>` (a `div` with `math-display` for display math),
 * the text being the formula as written, delimiters included. KaTeX (loaded only when a
 * placeholder exists, see math-render.ts) draws them later, after DOMPurify, so this plugin never
 * produces markup the sanitiser must trust. The TeX travels as text, not in an attribute:
 * DOMPurify drops attribute values that look like markup (`]>`, `-->`), which TeX can contain.
 *
 * Money is not math: a `$` opens math only when a non-space follows it, and the next `$` closes it
 * only when a non-space precedes it and no digit follows it. When that next `$` cannot close, the
 * first `$` is plain text ("$5 and $10"), as in Pandoc. Until its closing delimiter arrives (a
 * streaming answer), math stays text.
 */

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

interface Delimiters {
  open: string;
  close: string;
  display: boolean;
}

const BRACKETED: Delimiters[] = [
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
];

/** Where the next `$` not escaped by a backslash is, from `from`; -1 when there is none. */
function nextDollar(source: string, from: number, end: number): number {
  for (let index = from; index < end; index++) {
    const code = source.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === DOLLAR) return index;
  }
  return -1;
}

function pushMath(state: StateInline, tex: string, markup: string, display: boolean): void {
  const token = state.push(display ? 'math_inline_display' : 'math_inline', 'math', 0);
  token.content = tex;
  token.markup = markup;
}

function inlineMath(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  const code = src.charCodeAt(pos);

  if (code === BACKSLASH) {
    const pair = BRACKETED.find((candidate) => src.startsWith(candidate.open, pos));
    if (!pair) return false;
    const closing = src.indexOf(pair.close, pos + 2);
    if (closing < 0 || closing + 2 > posMax) return false;
    const tex = src.slice(pos + 2, closing);
    if (tex.trim() === '') return false;
    if (!silent) pushMath(state, tex, pair.open, pair.display);
    state.pos = closing + 2;
    return true;
  }

  if (code !== DOLLAR) return false;

  if (src.charCodeAt(pos + 1) === DOLLAR) {
    const closing = src.indexOf('$$', pos + 2);
    if (closing < 0 || closing + 2 > posMax) return false;
    const tex = src.slice(pos + 2, closing);
    if (tex.trim() === '') return false;
    if (!silent) pushMath(state, tex, '$$', true);
    state.pos = closing + 2;
    return true;
  }

  const first = src.charCodeAt(pos + 1);
  if (pos + 1 >= posMax || isSpace(first)) return false;
  const closing = nextDollar(src, pos + 1, posMax);
  if (closing < 0) return false;
  const before = src.charCodeAt(closing - 1);
  const after = closing + 1 < posMax ? src.charCodeAt(closing + 1) : -1;
  if (isSpace(before) || isDigit(after) || after === DOLLAR) return false;
  if (!silent) pushMath(state, src.slice(pos + 1, closing), '$', false);
  state.pos = closing + 1;
  return true;
}

const BLOCK_DELIMITERS: Delimiters[] = [{ open: '$$', close: '$$', display: true }, BRACKETED[0]!];

/** A display formula on lines of its own: `$$` (or `\[`) … `$$` (or `\]`), on one line or several. */
function blockMath(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (line: number) => state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
  // Four spaces of indent make a code block, not math.
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const first = lineText(startLine);
  const pair = BLOCK_DELIMITERS.find((candidate) => first.startsWith(candidate.open));
  if (!pair) return false;

  const rest = first.slice(pair.open.length);
  let tex: string;
  let lastLine = startLine;
  const closedOnFirst = rest.trimEnd().endsWith(pair.close) && rest.trimEnd().length >= pair.close.length;
  if (closedOnFirst) {
    tex = rest.trimEnd().slice(0, -pair.close.length);
    // `$$a$$ and more` is inline math in a paragraph, not a block.
    if (tex.includes(pair.close)) return false;
  } else {
    const lines = [rest];
    let closed = false;
    for (let line = startLine + 1; line < endLine; line++) {
      const text = lineText(line).trimEnd();
      // TeX allows no blank line in a formula: a `$$` left open there is text, not the start of math.
      if (text === '' || state.sCount[line]! < state.blkIndent) break;
      if (text.endsWith(pair.close)) {
        lines.push(text.slice(0, -pair.close.length));
        lastLine = line;
        closed = true;
        break;
      }
      lines.push(text);
    }
    if (!closed) return false;
    tex = lines.join('\n');
  }
  if (tex.trim() === '') return false;
  if (silent) return true;

  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = tex.trim();
  token.markup = pair.open;
  token.map = [startLine, lastLine + 1];
  state.line = lastLine + 1;
  return true;
}

const CLOSING: Record<string, string> = { $: '$', $$: '$$', '\\(': '\\)', '\\[': '\\]' };

/** Every closing delimiter is as long as its opening one: the renderer cuts `data-math`'s length from both ends. */
function placeholder(tag: 'span' | 'div', markup: string, tex: string, display: boolean, escape: (text: string) => string): string {
  const classes = display ? 'math math-display' : 'math';
  const shown = `${markup}${tex}${CLOSING[markup] ?? markup}`;
  return `<${tag} class="${classes}" data-math="${escape(markup)}">${escape(shown)}</${tag}>`;
}

export function mathPlugin(markdown: MarkdownIt): void {
  const escape = markdown.utils.escapeHtml;
  // Before `escape`, which would otherwise turn `\(` and `\[` into plain brackets.
  markdown.inline.ruler.before('escape', 'math_inline', inlineMath);
  markdown.block.ruler.before('fence', 'math_block', blockMath, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  markdown.renderer.rules.math_inline = (tokens, index) => placeholder('span', tokens[index]!.markup, tokens[index]!.content, false, escape);
  markdown.renderer.rules.math_inline_display = (tokens, index) => placeholder('span', tokens[index]!.markup, tokens[index]!.content, true, escape);
  markdown.renderer.rules.math_block = (tokens, index) => `${placeholder('div', tokens[index]!.markup, tokens[index]!.content, true, escape)}\n`;
}
