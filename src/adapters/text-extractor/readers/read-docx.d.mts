export type DocxReadResult = { outcome: 'ok'; html: string } | { outcome: 'failed'; message: string };

export declare function readDocx(bytes: Uint8Array): Promise<DocxReadResult>;
