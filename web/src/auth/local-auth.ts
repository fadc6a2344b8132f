import { localSignIn } from '../api/client';
import type { AuthProvider, SignedInUser } from './types';

const STORAGE_KEY = 'chat.localSession';
/** Sign in again this long before the token expires rather than send one about to lapse. */
const MARGIN_MS = 60_000;

interface Stored {
  name: string;
  idToken: string;
  expiresAt: number;
}

/** `npm start`'s sign-in: a name, and a token the local server signs. Kept for the tab's session. */
export class LocalAuth implements AuthProvider {
  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly apiUrl: string,
    private readonly storage: Storage = sessionStorage,
    private readonly now: () => number = Date.now,
  ) {}

  async signIn(name: string): Promise<SignedInUser> {
    const { idToken, expiresIn } = await localSignIn(this.fetchFn, this.apiUrl, name);
    const stored: Stored = { name, idToken, expiresAt: this.now() + expiresIn * 1000 };
    this.storage.setItem(STORAGE_KEY, JSON.stringify(stored));
    return { name };
  }

  async restore(): Promise<SignedInUser | undefined> {
    const stored = this.read();
    return stored ? { name: stored.name } : undefined;
  }

  async idToken(): Promise<string | undefined> {
    const stored = this.read();
    if (!stored) return undefined;
    if (stored.expiresAt - MARGIN_MS < this.now()) {
      // Local tokens are free to renew: renew silently under the same name.
      await this.signIn(stored.name);
      return this.read()?.idToken;
    }
    return stored.idToken;
  }

  signOut(): void {
    this.storage.removeItem(STORAGE_KEY);
  }

  private read(): Stored | undefined {
    try {
      const stored = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
      return stored && typeof stored.idToken === 'string' ? stored : undefined;
    } catch {
      return undefined;
    }
  }
}
