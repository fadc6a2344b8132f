/**
 * Draws the math placeholders of rendered Markdown (markdown-math.ts) with KaTeX. KaTeX, its
 * stylesheet and fonts are loaded on the first answer that has math, never with the app: most
 * conversations have none.
 *
 * KaTeX's output goes into the page after DOMPurify has run. That is safe because KaTeX builds it
 * from the TeX alone, escaping every character, and its `trust` option (which would let `\href`,
 * `\htmlClass` and the like through) stays off.
 */
import type * as Katex from 'katex';

type KatexApi = typeof Katex.default;

let loading: Promise<KatexApi> | undefined;

function load(): Promise<KatexApi> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css'), import('./math.css')]).then(([module]) => module.default);
  return loading;
}

/** Drawn formulas by display mode and TeX: a streaming answer is drawn again with every word. */
const drawn = new Map<string, string>();
const DRAWN_LIMIT = 500;

function draw(katex: KatexApi, tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let html = drawn.get(key);
  if (html === undefined) {
    // A formula KaTeX cannot read is shown as its source, in colour, with the reason as a tooltip.
    html = katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore', trust: false, output: 'htmlAndMathml' });
    if (drawn.size >= DRAWN_LIMIT) drawn.clear();
    drawn.set(key, html);
  }
  return html;
}

const PENDING = '.math:not(.math-drawn)';

/** Whether `root` holds math not drawn yet. */
export function hasMath(root: ParentNode): boolean {
  return root.querySelector(PENDING) !== null;
}

/** A placeholder's formula: its text between the delimiters, `data-math` being the opening one. */
export function formulaOf(element: HTMLElement): string {
  const delimiter = element.dataset.math ?? '';
  const shown = element.textContent ?? '';
  return shown.slice(delimiter.length, shown.length - delimiter.length);
}

/** Draws the formulas under `root` not drawn yet; loads KaTeX only if there is one. */
export async function renderMathWithin(root: ParentNode): Promise<void> {
  if (!hasMath(root)) return;
  const katex = await load();
  for (const element of root.querySelectorAll<HTMLElement>(PENDING)) {
    element.innerHTML = draw(katex, formulaOf(element), element.classList.contains('math-display'));
    element.classList.add('math-drawn');
  }
}
