import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/adapters/text-extractor/html-to-text.js';

describe('htmlToText (mammoth HTML to Markdown-like text)', () => {
  it('writes headings and paragraphs as blocks, decoding entities', async () => {
    expect(await htmlToText('<h1>Title</h1><p>Fish &amp; chips &lt;3 &quot;yes&quot;</p><h3>Part</h3><p>End&#x2e;</p>')).toBe(
      '# Title\n\nFish & chips <3 "yes"\n\n### Part\n\nEnd.',
    );
  });

  it('leaves an entity named like an Object.prototype member as it is', async () => {
    expect(await htmlToText('<p>&constructor; &__proto__; &toString; &amp;</p>')).toBe('&constructor; &__proto__; &toString; &');
  });

  it('numbers ordered lists and indents nested ones under their item', async () => {
    // html-to-text's own list layout: numbers set one space in and padded to the widest, nested items under the text.
    const html = '<ol><li>One<ul><li>One a</li><li>One b</li></ul></li><li>Two</li></ol>';
    expect(await htmlToText(html)).toBe(' 1. One\n    - One a\n    - One b\n 2. Two');
    expect((await htmlToText(`<ol>${'<li>x</li>'.repeat(10)}</ol>`)).split('\n').slice(8)).toEqual([' 9.  x', ' 10. x']);
  });

  it('keeps each table row on a line and each cell apart, even with paragraphs and breaks inside', async () => {
    const html = '<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><p>one</p><p>two</p></td><td>x<br />y</td></tr><tr><td>only</td></tr></tbody></table>';
    expect(await htmlToText(html)).toBe('| A | B |\n| --- | --- |\n| one two | x y |\n| only |  |');
  });

  it('keeps the columns under a cell that spans several, and escapes a | inside a cell', async () => {
    const html = '<table><tr><td colspan="2">Both</td><td>C</td></tr><tr><td>a | b</td><td>2</td><td>3</td></tr></table>';
    expect(await htmlToText(html)).toBe('| Both |  | C |\n| --- | --- | --- |\n| a \\| b | 2 | 3 |');
    // A span no Word table can have is taken as the widest one can, and a negative one as one column.
    const hostile = '<table><tr><td colspan="1000000000">x</td><td colspan="-5">y</td></tr></table>';
    expect((await htmlToText(hostile)).split('\n')[0]!.split('|')).toHaveLength(63 + 1 + 2);
  });

  it('keeps external link targets and image alt text, drops footnote anchors', async () => {
    const html = '<p>See <a href="https://example.com/doc">the docs</a><sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> <img src="" alt="A chart of sales" /></p>' +
      '<ol><li id="footnote-1"><p>A note. <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(await htmlToText(html)).toBe('See the docs (https://example.com/doc)[1] [Image: A chart of sales]\n\n 1. A note. ↑');
    expect(await htmlToText('<p><a href="file:///c:/secret.docx">local</a> <a href="https://a.example">https://a.example</a></p>')).toBe('local https://a.example');
  });

  it('writes a paragraph break as a line break and leaves no trailing spaces on a quote\'s blank line', async () => {
    expect(await htmlToText('<p>one<br />two</p><blockquote><p>q1</p><p>q2</p></blockquote>')).toBe('one\ntwo\n\n> q1\n>\n> q2');
  });

  it('survives nesting thousands deep, which would overflow the stack, by cutting it short', async () => {
    const lists = `${'<ul><li>'.repeat(5000)}deep${'</li></ul>'.repeat(5000)}`;
    const tables = `${'<table><tr><td>'.repeat(3000)}deep${'</td></tr></table>'.repeat(3000)}`;
    expect(await htmlToText(`<p>Before</p>${lists}`)).toMatch(/^Before\n\n- - - .*\.\.\.$/s);
    expect(await htmlToText(tables)).not.toContain('deep');
  });

  it('returns nothing for an empty document', async () => {
    expect(await htmlToText('')).toBe('');
  });
});
