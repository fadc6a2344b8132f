import { describe, expect, it } from 'vitest';
import { cutText, fileKeys, MAX_KEY_NAME_BYTES, sanitizeFileName } from '../../src/domain/file-context.js';

const a = (count: number) => 'a'.repeat(count);
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');
/** encodeURIComponent throws URIError on a lone surrogate, as the S3 client does. */
const wellFormed = (text: string) => expect(() => encodeURIComponent(text)).not.toThrow();

// Issue 17: a name cut at 255 UTF-16 units could end in half an emoji, and the S3 client threw URIError.
describe('sanitizeFileName', () => {
  it.each([
    ['254 "a" and an emoji', `${a(254)}😀`, a(254)],
    ['254 "a", an emoji and an extension', `${a(254)}😀.txt`, a(254)],
    ['253 "a" and a family emoji (a ZWJ sequence)', `${a(253)}👨‍👩‍👧`, a(253)],
    ['250 "a" and a family emoji, cut inside the sequence', `${a(250)}👨‍👩‍👧`, a(250)],
    ['251 "a" and two flags', `${a(251)}🇫🇷🇩🇪`, `${a(251)}🇫🇷`],
    ['249 "a" and two flags, cut between the two letters of the second', `${a(249)}🇫🇷🇩🇪`, `${a(249)}🇫🇷`],
    ['254 "a" and an e with a combining accent', `${a(254)}e\u0301`, a(254)],
    ['253 "a" and an e with a combining accent', `${a(253)}e\u0301x`, `${a(253)}e\u0301`],
  ])('cuts %s between whole characters', (_, name, expected) => {
    const cut = sanitizeFileName(name);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(255);
    wellFormed(cut);
  });

  it('keeps a name of exactly 255 units, emoji included', () => {
    expect(sanitizeFileName(`${a(253)}😀`)).toBe(`${a(253)}😀`);
    expect(sanitizeFileName(a(255))).toBe(a(255));
  });

  it.each([
    ['a lone high surrogate', 'notes-\ud83d.txt', 'notes-\ufffd.txt'],
    ['a lone low surrogate', '\ude00notes.txt', '\ufffdnotes.txt'],
    ['a reversed pair', 'x\ude00\ud83d.txt', 'x\ufffd\ufffd.txt'],
    ['254 "a" and a lone surrogate', `${a(254)}\ud83d`, `${a(254)}\ufffd`],
  ])('repairs %s into U+FFFD', (_, name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
    wellFormed(sanitizeFileName(name));
  });

  it('keeps a valid pair as it is', () => {
    expect(sanitizeFileName('smile-😀.txt')).toBe('smile-😀.txt');
  });

  it('cuts a single cluster longer than the limit between code points', () => {
    const cut = sanitizeFileName(`e${'\u0301'.repeat(300)}`);
    expect(cut).toBe(`e${'\u0301'.repeat(254)}`);
  });
});

describe('cutText', () => {
  it('returns short text unchanged', () => {
    expect(cutText('', 3)).toBe('');
    expect(cutText('abc', 3)).toBe('abc');
  });

  it('never splits a surrogate pair, even between code points', () => {
    expect(cutText('😀😀', 3)).toBe('😀');
    expect(cutText('😀', 1)).toBe('');
  });
});

describe('fileKeys', () => {
  it('cuts a long name in the key to whole characters within the byte limit, and keeps short ones', () => {
    expect(fileKeys('u', 'f', 'notes.txt').blob).toBe('u/f/notes.txt');
    const name = `${a(MAX_KEY_NAME_BYTES - 2)}😀😀`;
    const keyName = fileKeys('u', 'f', name).blob.slice('u/f/'.length);
    expect(keyName).toBe(a(MAX_KEY_NAME_BYTES - 2));
    expect(utf8Length(fileKeys('u', 'f', '€'.repeat(255)).blob.slice(4))).toBeLessThanOrEqual(MAX_KEY_NAME_BYTES);
    wellFormed(fileKeys('u', 'f', '€'.repeat(255)).blob);
  });

  it('never lets a cut name take the extracted text key', () => {
    const keys = fileKeys('u', 'f', `text.txt${'\u0301'.repeat(300)}`);
    expect(keys.blob).not.toBe(keys.text);
  });
});
