// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { hasMath, renderMathWithin } from './math-render';

function answer(source: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = renderMarkdown(source);
  return root;
}

describe('renderMathWithin', () => {
  it('draws inline and display formulas with KaTeX, with MathML for screen readers', async () => {
    const root = answer('Inline $\\frac{1}{2}$ and\n\n$$\\sqrt{x}$$');
    expect(hasMath(root)).toBe(true);
    await renderMathWithin(root);
    expect(hasMath(root)).toBe(false);
    const [inline, display] = [...root.querySelectorAll<HTMLElement>('.math')];
    expect(inline!.querySelector('.katex .katex-html')).not.toBeNull();
    expect(inline!.querySelector('.katex-display')).toBeNull();
    expect(inline!.querySelector('math annotation')?.textContent).toBe('\\frac{1}{2}');
    expect(display!.querySelector('.katex-display')).not.toBeNull();
  });

  it('shows a formula KaTeX cannot read as its source, marked as an error, and goes on', async () => {
    const root = answer('Broken $\\frac{1}{$ then fine $y$');
    await renderMathWithin(root);
    const [broken, fine] = [...root.querySelectorAll<HTMLElement>('.math')];
    expect(broken!.querySelector('.katex-error')?.textContent).toBe('\\frac{1}{');
    expect(fine!.querySelector('.katex')).not.toBeNull();
  });

  it('lets no link or HTML through from TeX commands that would need trust', async () => {
    const root = answer('$\\href{javascript:alert(1)}{x}$ $\\htmlClass{evil}{y}$');
    await renderMathWithin(root);
    expect(root.querySelectorAll('a, [class~="evil"]')).toHaveLength(0);
  });

  it('does nothing, and loads nothing, for an answer without math', async () => {
    const root = answer('It costs $5 and $10.');
    expect(hasMath(root)).toBe(false);
    await renderMathWithin(root);
    expect(root.innerHTML).toBe(answer('It costs $5 and $10.').innerHTML);
  });
});
