// @vitest-environment jsdom
// DOMPurify needs a real DOM implementation: happy-dom keeps scripts and strips tags it should keep.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown: emphasis, lists, tables and fenced code with its language', () => {
    const html = renderMarkdown('**bold**\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('data-language="ts"');
    expect(html).toContain('const x = 1;');
  });

  it('lets no HTML from the model run: scripts, handlers and javascript: links are gone', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)> [click](javascript:alert(1)) <b>raw</b>');
    const page = document.createElement('div');
    page.innerHTML = html;
    expect(page.querySelectorAll('script, img, b, [onerror]')).toHaveLength(0);
    expect([...page.querySelectorAll('a')].map((link) => link.getAttribute('href'))).not.toContain('javascript:alert(1)');
    // Shown as text, for the reader to see what the model wrote.
    expect(page.textContent).toContain('<b>raw</b>');
  });

  it('opens links in a new tab without handing it this page', () => {
    const html = renderMarkdown('See https://example.com');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});
