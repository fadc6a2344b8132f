/**
 * Code highlighting, loaded on first use so that it stays out of the first page load: the
 * highlight.js core and the languages people paste most.
 */
import type { HLJSApi } from 'highlight.js';

type Highlighter = HLJSApi;

let loading: Promise<Highlighter> | undefined;

function load(): Promise<Highlighter> {
  loading ??= (async () => {
    const [core, ...languages] = await Promise.all([
      import('highlight.js/lib/core'),
      import('highlight.js/lib/languages/javascript'),
      import('highlight.js/lib/languages/typescript'),
      import('highlight.js/lib/languages/python'),
      import('highlight.js/lib/languages/json'),
      import('highlight.js/lib/languages/bash'),
      import('highlight.js/lib/languages/xml'),
      import('highlight.js/lib/languages/css'),
      import('highlight.js/lib/languages/sql'),
      import('highlight.js/lib/languages/java'),
      import('highlight.js/lib/languages/go'),
      import('highlight.js/lib/languages/rust'),
      import('highlight.js/lib/languages/yaml'),
    ]);
    const names = ['javascript', 'typescript', 'python', 'json', 'bash', 'xml', 'css', 'sql', 'java', 'go', 'rust', 'yaml'];
    const hljs = core.default;
    languages.forEach((language, index) => hljs.registerLanguage(names[index]!, language.default));
    hljs.registerAliases(['js', 'jsx'], { languageName: 'javascript' });
    hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
    hljs.registerAliases(['py'], { languageName: 'python' });
    hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
    hljs.registerAliases(['html', 'vue', 'svg'], { languageName: 'xml' });
    hljs.registerAliases(['yml'], { languageName: 'yaml' });
    return hljs;
  })();
  return loading;
}

/** Highlights the code blocks under `root` that are not highlighted yet. */
export async function highlightWithin(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre code:not(.hljs)')];
  if (blocks.length === 0) return;
  const hljs = await load();
  for (const block of blocks) {
    const language = block.closest<HTMLElement>('.code-block')?.dataset.language;
    if (language && hljs.getLanguage(language)) hljs.highlightElement(block);
    else block.classList.add('hljs');
  }
}
