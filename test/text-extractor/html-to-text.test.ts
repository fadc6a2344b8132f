import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/adapters/text-extractor/html-to-text.js';

describe('htmlToText (mammoth HTML to Markdown-like text)', () => {
  it('writes headings and paragraphs as blocks, decoding entities', () => {
    expect(htmlToText('<h1>Title</h1><p>Fish &amp; chips &lt;3 &quot;yes&quot;</p><h3>Part</h3><p>End&#x2e;</p>')).toBe(
      '# Title\n\nFish & chips <3 "yes"\n\n### Part\n\nEnd.',
    );
  });

  it('leaves an entity named like an Object.prototype member as it is', () => {
    expect(htmlToText('<p>&constructor; &__proto__; &toString; &amp;</p>')).toBe('&constructor; &__proto__; &toString; &');
  });

  it('numbers ordered lists and indents nested ones', () => {
    const html = '<ol><li>One<ul><li>One a</li><li>One b</li></ul></li><li>Two</li></ol>';
    expect(htmlToText(html)).toBe('1. One\n  - One a\n  - One b\n2. Two');
  });

  it('keeps each table row on a line and each cell apart, even with paragraphs and breaks inside', () => {
    const html = '<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><p>one</p><p>two</p></td><td>x<br />y</td></tr><tr><td>only</td></tr></tbody></table>';
    expect(htmlToText(html)).toBe('| A | B |\n| --- | --- |\n| one two | x y |\n| only |  |');
  });

  it('keeps external link targets and image alt text, drops footnote anchors', () => {
    const html = '<p>See <a href="https://example.com/doc">the docs</a><sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> <img src="" alt="A chart of sales" /></p>' +
      '<ol><li id="footnote-1"><p>A note. <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(htmlToText(html)).toBe('See the docs (https://example.com/doc)[1] [Image: A chart of sales]\n\n1. A note. ↑');
  });

  it('returns nothing for an empty document', () => {
    expect(htmlToText('')).toBe('');
  });
});
