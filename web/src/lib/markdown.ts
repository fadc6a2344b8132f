import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { mathPlugin } from './markdown-math';

/**
 * Markdown from the model, made safe: markdown-it with raw HTML off, then DOMPurify on its output,
 * so no HTML the model writes reaches the page unsanitised. Links open in a new tab without
 * giving it a handle on this one.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false }).use(mathPlugin);

const defaultFence = markdown.renderer.rules.fence!;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const language = token.info.trim().split(/\s+/)[0] ?? '';
  const code = defaultFence(tokens, index, options, env, self);
  // A wrapper the component fills with a Copy button; the language is highlighted lazily. The code
  // scrolls sideways when its lines are long: focusable, so that the keyboard can scroll it too.
  return `<div class="code-block" data-language="${markdown.utils.escapeHtml(language)}">${code.replace(/^<pre>/, '<pre tabindex="0">')}</div>`;
};

let hooked = false;
function hookLinks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
}

export function renderMarkdown(source: string): string {
  hookLinks();
  // data-math: a math placeholder's opening delimiter, for KaTeX to draw it after sanitising.
  return DOMPurify.sanitize(markdown.render(source), { ADD_ATTR: ['target', 'data-language', 'data-math'] });
}
