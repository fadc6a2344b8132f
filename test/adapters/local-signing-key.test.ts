import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { persistentSigningKey } from '../../src/adapters/token-verifier/local-signing-key.js';

describe('the local sign-in key kept with the data', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'signing-key-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is made once, in a folder that may not exist yet, and read back the same', () => {
    const dir = join(dataDir(), 'not-yet');
    const first = persistentSigningKey(dir);
    const again = persistentSigningKey(dir);
    expect(again.export({ type: 'pkcs8', format: 'der' }).equals(first.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
  });

  it('refuses a file that is not a key, saying how to start over', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'local-auth-signing-key.pem'), 'not a key');
    expect(() => persistentSigningKey(dir)).toThrow(/is not a private key\. Delete it to start with a new one/);
  });
});
