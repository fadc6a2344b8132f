/**
 * mammoth's HTML as Markdown-like text, which models read natively: `#` headings, `-` and `1.`
 * list items indented by level, tables as `| a | b |` rows (one line per row, cells kept apart),
 * blank lines between blocks. Only the small, well-formed subset mammoth writes is handled; this is
 * not a general HTML parser.
 */
interface Element {
  tag: string;
  attributes: Record<string, string>;
  children: Node[];
}
type Node = Element | string;

const VOID = new Set(['br', 'img', 'hr']);
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'hr', 'div', 'li']);

export function htmlToText(html: string): string {
  return renderBlocks(parse(html).children, 0)
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function parse(html: string): Element {
  const root: Element = { tag: 'root', attributes: {}, children: [] };
  const stack: Element[] = [root];
  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)|</g;
  for (const match of html.matchAll(token)) {
    const [, closing, rawTag, rawAttributes, text] = match;
    const parent = stack.at(-1)!;
    if (text !== undefined || rawTag === undefined) {
      parent.children.push(decodeEntities(text ?? '<'));
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (closing) {
      const open = stack.map((element) => element.tag).lastIndexOf(tag);
      if (open > 0) stack.length = open;
      continue;
    }
    const element: Element = { tag, attributes: parseAttributes(rawAttributes ?? ''), children: [] };
    parent.children.push(element);
    if (!VOID.has(tag) && !rawAttributes?.trimEnd().endsWith('/')) stack.push(element);
  }
  return root;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of source.matchAll(/([a-zA-Z_:][\w:.-]*)="([^"]*)"/g)) {
    attributes[name!.toLowerCase()] = decodeEntities(value!);
  }
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    const lower = name.toLowerCase();
    // Own entries only: `&constructor;` or `&__proto__;` is not an entity.
    return Object.hasOwn(NAMED_ENTITIES, lower) ? NAMED_ENTITIES[lower]! : entity;
  });
}

/** Blocks of a container, in order; a run of inline content between blocks is a paragraph of its own. */
function renderBlocks(nodes: Node[], depth: number): string[] {
  const blocks: string[] = [];
  let inline: Node[] = [];
  const flush = () => {
    const text = renderInline(inline).trim();
    if (text) blocks.push(text);
    inline = [];
  };
  for (const node of nodes) {
    if (typeof node === 'string' || !BLOCKS.has(node.tag)) {
      inline.push(node);
      continue;
    }
    flush();
    const block = renderBlock(node, depth);
    if (block.trim()) blocks.push(block);
  }
  flush();
  return blocks;
}

function renderBlock(element: Element, depth: number): string {
  const heading = /^h([1-6])$/.exec(element.tag);
  if (heading) return `${'#'.repeat(Number(heading[1]))} ${renderInline(element.children).trim()}`;
  switch (element.tag) {
    case 'p':
      return renderInline(element.children).trim();
    case 'ul':
    case 'ol':
      return renderList(element, depth);
    case 'table':
      return renderTable(element);
    case 'blockquote':
      return renderBlocks(element.children, depth).join('\n\n').replace(/^/gm, '> ');
    case 'hr':
      return '---';
    default:
      return renderBlocks(element.children, depth).join('\n\n');
  }
}

/** One line per item; an item's own paragraphs join on one line, nested lists go one level in. */
function renderList(list: Element, depth: number): string {
  const lines: string[] = [];
  const items = list.children.filter((child): child is Element => typeof child !== 'string' && child.tag === 'li');
  items.forEach((item, index) => {
    const marker = list.tag === 'ol' ? `${index + 1}.` : '-';
    const nested = item.children.filter((child): child is Element => typeof child !== 'string' && (child.tag === 'ul' || child.tag === 'ol'));
    const own = item.children.filter((child) => !nested.includes(child as Element));
    const text = renderBlocks(own, depth + 1).join(' ').replace(/\s*\n\s*/g, ' ');
    lines.push(`${'  '.repeat(depth)}${marker} ${text}`.trimEnd());
    for (const sublist of nested) lines.push(renderList(sublist, depth + 1));
  });
  return lines.join('\n');
}

/** A Markdown table: the first row stands as the header, as Markdown requires one. */
function renderTable(table: Element): string {
  const rows = collect(table, 'tr').map((row) =>
    row.children
      .filter((cell): cell is Element => typeof cell !== 'string' && (cell.tag === 'td' || cell.tag === 'th'))
      .map((cell) => renderBlocks(cell.children, 0).join(' ').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()),
  );
  const width = Math.max(0, ...rows.map((cells) => cells.length));
  if (width === 0) return '';
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, index) => cells[index] ?? '').join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(Array<string>(width).fill('---')), ...body.map(line)].join('\n');
}

/** The rows of this table, through thead/tbody, but not those of a table nested in a cell. */
function collect(element: Element, tag: string): Element[] {
  return element.children.flatMap((child) => {
    if (typeof child === 'string') return [];
    if (child.tag === tag) return [child];
    return child.tag === 'table' ? [] : collect(child, tag);
  });
}

function renderInline(nodes: Node[]): string {
  return nodes
    .map((node) => {
      if (typeof node === 'string') return node.replace(/[ \t\r\n]+/g, ' ');
      switch (node.tag) {
        case 'br':
          return '\n';
        case 'img':
          return node.attributes.alt ? `[Image: ${node.attributes.alt}]` : '';
        case 'a':
          return renderLink(node);
        default:
          return BLOCKS.has(node.tag) ? ` ${renderBlock(node, 0)} ` : renderInline(node.children);
      }
    })
    .join('');
}

/** External links keep their address (a model may be asked for it); footnote anchors do not. */
function renderLink(link: Element): string {
  const text = renderInline(link.children);
  const href = link.attributes.href ?? '';
  if (!/^(https?:|mailto:)/i.test(href) || href === text.trim()) return text;
  return `${text} (${href})`;
}
