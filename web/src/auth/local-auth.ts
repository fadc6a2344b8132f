import { localSignIn } from '../api/client';
import type { AuthProvider, SignedInUser } from './types';

const STORAGE_KEY = 'chat.localSession';

interface Stored {
  name: string;
  idToken: string;
  expiresAt: number;
}

/**
 * `npm start`'s sign-in: a name, and a token the local server signs, kept for the tab's session.
 * There is no refresh token: when the token expires (LOCAL_TOKEN_LIFETIME_SECONDS) the API refuses
 * it and the user signs in again, as on AWS once a refresh token has lapsed, and what they were
 * typing waits for them in the composer.
 */
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

  /** The session of an earlier page load in this tab, unless its token has expired: then the sign-in screen, not a refused first call. */
  async restore(): Promise<SignedInUser | undefined> {
    const stored = this.read();
    if (!stored) return undefined;
    if (stored.expiresAt <= this.now()) {
      this.signOut();
      return undefined;
    }
    return { name: stored.name };
  }

  /**
   * The stored token, even when this browser's clock says it has expired: the server's clock is
   * the one that decides, and its 401 is what ends the session.
   */
  async idToken(): Promise<string | undefined> {
    return this.read()?.idToken;
  }

  /** No refresh token in local mode: a refused token means signing in again. */
  async refresh(): Promise<string | undefined> {
    return undefined;
  }

  signOut(): void {
    this.storage.removeItem(STORAGE_KEY);
  }

  private read(): Stored | undefined {
    try {
      const stored = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
      return stored && typeof stored.idToken === 'string' && typeof stored.name === 'string' ? stored : undefined;
    } catch {
      return undefined;
    }
  }
}
