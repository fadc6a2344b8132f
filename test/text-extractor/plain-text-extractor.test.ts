import { describe, expect, it } from 'vitest';
import { PlainTextExtractor } from '../../src/adapters/text-extractor/plain-text-extractor.js';
import { decodeText, looksBinary } from '../../src/adapters/text-extractor/text-decoding.js';
import { expectDomainError } from '../support/domain-error.js';
import { utf8 } from './documents.js';

const extractor = new PlainTextExtractor();
const extract = (fileName: string, bytes: Uint8Array, contentType = 'text/plain') => extractor.extract({ fileName, contentType, bytes });

describe('PlainTextExtractor', () => {
  it('drops a UTF-8 byte order mark', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Bonjour')]);
    expect((await extract('hello.txt', bytes)).text).toBe('Bonjour');
  });

  it('reads UTF-16 with a byte order mark (Notepad\'s "Unicode")', async () => {
    const bytes = Buffer.from('\ufeffCafé crème, ☕', 'utf16le');
    expect((await extract('notes.txt', bytes)).text).toBe('Café crème, ☕');
  });

  it('reads a legacy Windows-1252 file as such, so accents survive', async () => {
    const bytes = Buffer.from('Déjà vu à l\'été, 5 €', 'latin1').map((byte) => byte);
    bytes[bytes.length - 1] = 0x80; // € in Windows-1252
    expect((await extract('old.txt', bytes)).text).toBe("Déjà vu à l'été, 5 €");
  });

  it('keeps a UTF-8 file with a damaged byte as UTF-8, the damage as U+FFFD', async () => {
    const bytes = new Uint8Array([...utf8('Été '), 0xff, ...utf8(' fin')]);
    expect((await extract('damaged.txt', bytes)).text).toBe('Été \ufffd fin');
  });

  it('pretty-prints JSON and refuses JSON that does not parse, saying why', async () => {
    expect((await extract('a.json', utf8('{"a":[1,2]}'), 'application/json')).text).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    const error = await expectDomainError(extract('bad.json', utf8('{"a": 1,'), 'application/json'), { kind: 'unreadable', code: 'INVALID_JSON_FILE' });
    expect(error.message).toMatch(/^"bad.json" is not valid JSON \(.+\)/);
  });

  it('keeps JSON nested too deeply to print again as it came, without crashing', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const result = await extract('deep.json', utf8(deep), 'application/json');
    expect(result).toEqual({ text: deep, fileType: 'json' });
  });

  it('refuses binary bytes named .txt', async () => {
    await expectDomainError(extract('innocent.txt', new Uint8Array(256).map((_, i) => i)), { kind: 'unsupported', code: 'NOT_TEXT' });
  });
});

describe('looksBinary', () => {
  it('tells text (tabs, CRLF, ANSI colours, French, emoji) from binary', () => {
    expect(looksBinary(utf8('a\tb\r\n\u001b[31mred\u001b[0m Été 🎉\f'))).toBe(false);
    expect(looksBinary(new Uint8Array([0x68, 0x00, 0x69]))).toBe(true);
    expect(looksBinary(new Uint8Array(Array.from({ length: 100 }, (_, i) => 0x80 + (i % 64))))).toBe(true);
  });

  it('does not count a multi-byte character cut by the sample edge as damage', () => {
    const text = 'é'.repeat(5000); // 10,000 bytes: the 8 KB sample ends mid-way through none, or one
    expect(looksBinary(utf8(text))).toBe(false);
    expect(decodeText(utf8(text))).toBe(text);
  });
});
