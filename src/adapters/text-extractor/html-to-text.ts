import type { DomNode, FormatCallback, HtmlToTextOptions } from 'html-to-text';

/**
 * mammoth's HTML as Markdown-like text, which models read natively: `#` headings, `-` and `1.`
 * list items indented by level, tables as `| a | b |` rows (one line per row, cells kept apart),
 * blank lines between blocks. The html-to-text library parses the HTML, decodes entities, folds
 * white space and lays out blocks and lists; the formatters below change only what it would
 * otherwise write in its own plain-text style.
 */

/** An attribute of an element (the library's types leave them untyped). */
const attribute = (node: DomNode, name: string): string | undefined => {
  const value: unknown = (node.attribs as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `# Title` instead of the library's `TITLE`: the level survives, and so does the case of the
 * words (a heading in capitals reads as shouting, and loses names like "iPhone").
 */
const markdownHeading: FormatCallback = (element, walk, builder, options) => {
  const level = Number(/^h([1-6])$/.exec(element.name ?? '')?.[1] ?? 1);
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  walk(element.children, builder);
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2, blockTransform: (text) => `${'#'.repeat(level)} ${text}` });
};

/**
 * The library's data table lines its columns up with spaces and wraps a cell's paragraphs onto
 * lines of their own, so a cell holding spaces cannot be told from two cells, and a row is no longer
 * one line (html-to-text.test.ts, "keeps each table row on a line"). The library still walks the
 * cells and formats what is inside them (links, images, entities); only the layout is ours: a
 * Markdown table whose first row stands as the header, as Markdown requires one.
 */
const markdownTable: FormatCallback = (element, walk, builder, options) => {
  builder.openTable();
  const visit = (node: DomNode): void => {
    if (node.type !== 'tag') return;
    if (node.name === 'tr') {
      builder.openTableRow();
      for (const cell of node.children ?? []) {
        if (cell.type !== 'tag' || (cell.name !== 'td' && cell.name !== 'th')) continue;
        builder.openTableCell();
        walk(cell.children, builder);
        builder.closeTableCell({ colspan: columnSpan(cell) });
      }
      builder.closeTableRow();
    } else if (node.name !== 'table') {
      // thead, tbody, tfoot; a table nested in a cell is that cell's content, walked with it.
      (node.children ?? []).forEach(visit);
    }
  };
  (element.children ?? []).forEach(visit);
  builder.closeTable({
    leadingLineBreaks: options.leadingLineBreaks ?? 2,
    trailingLineBreaks: options.trailingLineBreaks ?? 2,
    tableToString: (rows) => {
      // A cell spanning columns is followed by empty ones, so that the columns below stay aligned.
      const lines = rows.map((cells) => cells.flatMap((cell) => [tableCell(cell.text), ...Array<string>(cell.colspan - 1).fill('')]));
      const width = Math.max(0, ...lines.map((cells) => cells.length));
      if (width === 0) return '';
      const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, index) => cells[index] ?? '').join(' | ')} |`;
      const [header = [], ...body] = lines;
      return [line(header), line(Array<string>(width).fill('---')), ...body.map(line)].join('\n');
    },
  });
};

/** Word's tables have at most 63 columns: a span past that (or below one) comes from a hostile file. */
const MAX_COLUMNS = 63;
const columnSpan = (cell: DomNode): number => Math.min(Math.max(Math.trunc(Number(attribute(cell, 'colspan'))) || 1, 1), MAX_COLUMNS);

/** One line per cell, whatever paragraphs and breaks it holds; a `|` in it escaped as Markdown does. */
const tableCell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

/**
 * `[Image: alt]`: the library writes the alt text alone, which then reads as part of the sentence.
 * mammoth never gives an image a source (read-docx.mjs does not decompress images).
 */
const imageAltText: FormatCallback = (element, _walk, builder) => {
  const alt = attribute(element, 'alt')?.trim();
  if (alt) builder.addInline(`[Image: ${alt}]`, { noWordTransform: true });
};

/**
 * External links keep their address (a model may be asked for it); footnote anchors, local files
 * and other links do not. The library has taken `mailto:` off an address by now.
 */
const keepExternalLink = (href: string): string => (/^https?:/i.test(href) || /^[^\s/:@]+@[^\s/:@]+$/.test(href) ? href : '');

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { markdownHeading, markdownTable, imageAltText },
  limits: {
    // The archive limits already bound the document; the library's default would cut a long one at 16 M characters.
    maxInputLength: Number.MAX_SAFE_INTEGER,
    // Tables in tables (or lists in lists) nested thousands deep would overflow the stack: past this
    // depth the library writes "..." instead. A real document nests a few levels.
    maxDepth: 100,
  },
  selectors: [
    // The library's headings take three line breaks before them; one blank line is a block's separator here.
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({ selector, format: 'markdownHeading', options: { leadingLineBreaks: 2 } })),
    { selector: 'table', format: 'markdownTable' },
    { selector: 'img', format: 'imageAltText' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true, pathRewrite: keepExternalLink } },
    { selector: 'hr', options: { length: 3 } },
  ],
};

let converter: Promise<(html: string) => string> | undefined;

/**
 * The library (with htmlparser2 and its entity tables) is loaded with the first Word document, not
 * with this module: it is the largest part of the extractor's load time, and only a DOCX needs it.
 */
export async function htmlToText(html: string): Promise<string> {
  converter ??= import('html-to-text').then(({ compile }) => compile(OPTIONS));
  const convert = await converter;
  // The library pads the blank line inside a list item or a quote with the item's indent or "> ".
  return convert(html).replace(/[ \t]+$/gm, '');
}
