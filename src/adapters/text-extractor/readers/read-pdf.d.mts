export type PdfReadResult =
  | { outcome: 'ok'; pageTexts: string[] }
  | { outcome: 'too_many_pages'; pageCount: number }
  | { outcome: 'failed'; reason: 'encrypted' | 'unreadable'; message: string };

export declare function readPdf(bytes: Uint8Array, options: { maxPages: number }): Promise<PdfReadResult>;
