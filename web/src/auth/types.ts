/** Who is signed in, as the SPA shows it. */
export interface SignedInUser {
  name: string;
  email?: string;
}

/** What the session store needs of a sign-in method: local (npm start) or Cognito (AWS). */
export interface AuthProvider {
  /** The session kept from an earlier visit, if it is still valid. */
  restore(): Promise<SignedInUser | undefined>;
  /** A valid ID token, refreshed when it is about to expire; undefined when signed out. */
  idToken(): Promise<string | undefined>;
  signOut(): void;
}
