// @vitest-environment jsdom
// DOMPurify needs a real DOM implementation: happy-dom keeps scripts and strips tags it should keep.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { formulaOf } from './math-render';

/** The formulas found in an answer, as KaTeX will receive them: [TeX, display?]. */
function formulas(source: string): [string, boolean][] {
  const page = document.createElement('div');
  page.innerHTML = renderMarkdown(source);
  return [...page.querySelectorAll<HTMLElement>('.math')].map((element) => [formulaOf(element), element.classList.contains('math-display')]);
}

describe('math in answers', () => {
  it('finds inline $…$ and \\(…\\), and display $$…$$ and \\[…\\]', () => {
    expect(formulas('Energy is $E = mc^2$, and \\(a^2 + b^2 = c^2\\).')).toEqual([
      ['E = mc^2', false],
      ['a^2 + b^2 = c^2', false],
    ]);
    expect(formulas('The sum:\n\n$$\n\\sum_{i=1}^n i = \\frac{n(n+1)}{2}\n$$\n\nand \\[x^2\\] inline.')).toEqual([
      ['\\sum_{i=1}^n i = \\frac{n(n+1)}{2}', true],
      ['x^2', true],
    ]);
  });

  it('takes a display formula that follows a line of text without a blank line between', () => {
    expect(formulas('The integral is\n\\[\n\\int_0^1 x\\,dx = \\tfrac12\n\\]\nas expected.')).toEqual([['\\int_0^1 x\\,dx = \\tfrac12', true]]);
    expect(formulas('One line: \n$$a+b$$')).toEqual([['a+b', true]]);
  });

  it('leaves money alone: "$5 and $10", "US$5 or US$10", "from $1,000 to $2,000"', () => {
    expect(formulas('It costs $5 and $10 with tax.')).toEqual([]);
    expect(formulas('Between US$5 or US$10.')).toEqual([]);
    expect(formulas('Prices go from $1,000 to $2,000 per seat.')).toEqual([]);
    const page = document.createElement('div');
    page.innerHTML = renderMarkdown('It costs $5 and $10 with tax.');
    expect(page.textContent).toBe('It costs $5 and $10 with tax.\n');
  });

  it('still finds a formula after some money in the same sentence', () => {
    expect(formulas('For $5 you get $x^2$ squared.')).toEqual([['x^2', false]]);
  });

  it('leaves an escaped \\$ and code alone', () => {
    expect(formulas('Type \\$HOME and \\$PATH.')).toEqual([]);
    expect(formulas('Run `echo $HOME$` or\n\n```sh\necho "$a$"\n```')).toEqual([]);
  });

  it('shows a formula still being written (no closing delimiter yet) as the text it is', () => {
    expect(formulas('The answer is $x^2 + ')).toEqual([]);
    expect(formulas('Here:\n\n$$\n\\frac{a}{b')).toEqual([]);
    const page = document.createElement('div');
    page.innerHTML = renderMarkdown('Here:\n\n$$\n\\frac{a}{b');
    expect(page.textContent).toContain('$$\n\\frac{a}{b');
  });

  it('keeps TeX that looks like markup to a sanitiser whole: [0,1]>0, x-->y', () => {
    expect(formulas('$f([0,1])>0$ and $x-->y$')).toEqual([
      ['f([0,1])>0', false],
      ['x-->y', false],
    ]);
  });

  it('keeps the TeX as text in the placeholder, so nothing the model writes becomes markup', () => {
    const page = document.createElement('div');
    page.innerHTML = renderMarkdown('$<img src=x onerror=alert(1)>$ and $$</div><script>alert(1)</script>$$');
    expect(page.querySelectorAll('img, script, [onerror]')).toHaveLength(0);
    expect([...page.querySelectorAll<HTMLElement>('.math')].map(formulaOf)).toEqual(['<img src=x onerror=alert(1)>', '</div><script>alert(1)</script>']);
    expect(page.querySelector('.math')?.textContent).toBe('$<img src=x onerror=alert(1)>$');
  });
});
