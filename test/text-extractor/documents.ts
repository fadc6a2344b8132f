import { deflateRawSync } from 'node:zlib';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Documents with known text, made by other tools in the test itself. */

/** One page per string, lines split on "\n", in Helvetica (WinAnsi: French accents, œ, €). */
export async function makePdf(pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([595, 842]);
    text.split('\n').forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 20, size: 12, font }));
  }
  return pdf.save();
}

/** A PDF whose pages have nothing written on them (as a scan without OCR looks to a text extractor). */
export async function makeBlankPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let index = 0; index < pages; index++) pdf.addPage();
  return pdf.save();
}

export interface DocxContent {
  heading?: string;
  paragraphs?: string[];
  bullets?: string[];
  table?: string[][];
}

export async function makeDocx(content: DocxContent): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  if (content.heading) children.push(new Paragraph({ text: content.heading, heading: HeadingLevel.HEADING_1 }));
  for (const text of content.paragraphs ?? []) children.push(new Paragraph({ children: [new TextRun(text)], alignment: AlignmentType.LEFT }));
  for (const text of content.bullets ?? []) children.push(new Paragraph({ text, bullet: { level: 0 } }));
  if (content.table) {
    children.push(
      new Table({
        rows: content.table.map((cells) => new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) })),
      }),
    );
  }
  const document = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(document));
}

export interface ZipItem {
  name: string;
  data: Uint8Array;
  /** Declare this uncompressed size instead of the real one (a lying zip, or a bomb's header). */
  declaredSize?: number;
  /** Store instead of deflate. */
  stored?: boolean;
}

/** A zip built by hand, so that a test controls what its directory says. */
export function makeZip(items: ZipItem[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const body = item.stored ? Buffer.from(item.data) : deflateRawSync(item.data);
    const name = Buffer.from(item.name);
    const size = item.declaredSize ?? item.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(item.stored ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(item.stored ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** One entry whose 32-bit sizes say "see ZIP64" and whose extra field declares 5 TB. */
export function zip64Entry(): Uint8Array {
  const zip = Buffer.from(makeZip([{ name: 'word/document.xml', data: utf8('<x/>') }]));
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const end = zip.indexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const nameLength = zip.readUInt16LE(central + 28);
  const extra = Buffer.alloc(4 + 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8, 2);
  extra.writeBigUInt64LE(5n * 1024n ** 4n, 4);
  const entry = Buffer.from(zip.subarray(central, central + 46 + nameLength));
  entry.writeUInt32LE(0xffffffff, 24);
  entry.writeUInt16LE(extra.length, 30);
  const directory = Buffer.concat([entry, extra]);
  const tail = Buffer.from(zip.subarray(end));
  tail.writeUInt32LE(directory.length, 12);
  return Buffer.concat([zip.subarray(0, central), directory, tail]);
}

export const WORD_XML =
  '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello from a hand-made zip</w:t></w:r></w:p></w:body></w:document>';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Runs of white space as one space: how the corpus compares extracted text. */
export const squash = (text: string): string => text.replace(/\s+/g, ' ');
