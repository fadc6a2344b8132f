import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE_NAME = 'local-auth-signing-key.pem';

/**
 * The local sign-in's private key, kept beside the data it protects (`npm start`'s DATA_DIR): a
 * restart keeps everyone signed in, as it keeps their conversations. Written once, readable by its
 * owner only; two servers starting together on one folder end up with the same key.
 */
export function persistentSigningKey(dataDir: string): KeyObject {
  const path = join(dataDir, FILE_NAME);
  const existing = readKey(path);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKey(path)!; // another server wrote it first: use theirs
  }
}

function readKey(path: string): KeyObject | undefined {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(`${path} is not a private key. Delete it to start with a new one (everyone will have to sign in again).`);
  }
}
