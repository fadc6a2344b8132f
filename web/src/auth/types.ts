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
  /**
   * A new ID token after the API refused the current one (expired by its clock, or revoked): from
   * the refresh token where there is one. Undefined when there is none (local sign-in) or it was
   * refused too: the user has to sign in again.
   */
  refresh(): Promise<string | undefined>;
  signOut(): void;
}

/**
 * Cognito's answer to a right password: signed in, or, on an invited user's first sign-in with
 * the temporary password from the invitation email, a password of their own to choose first.
 */
export type SignInOutcome = { status: 'signedIn'; user: SignedInUser } | { status: 'newPasswordRequired' };

/** Why Cognito said no, for words of our own in the user's language (`signIn.errors.<reason>`). */
export type AuthFailureReason =
  | 'wrongPassword'
  | 'notConfirmed'
  | 'accountExists'
  | 'wrongCode'
  | 'weakPassword'
  | 'signUpClosed'
  | 'signUpDomain'
  | 'invitationExpired'
  | 'notActivated'
  | 'challengeExpired'
  | 'codeExpired'
  | 'tooManyAttempts'
  | 'unreachable';

/**
 * A refusal from the sign-in provider: `reason` when we know it (the sign-in page words it),
 * else Cognito's own message. A shape, not a class: the page reads it without loading the Cognito
 * chunk, and the chunk shares no code with the first load.
 */
export interface AuthError extends Error {
  reason?: AuthFailureReason;
  /** Cognito's code (`UserNotConfirmedException`, ...). */
  code?: string;
}

/**
 * The pool's password policy (infra/components/auth.ts): 12 characters or more, with an upper and
 * a lower case letter and a number (Cognito counts the basic Latin ones only).
 */
export function meetsPasswordPolicy(password: string): boolean {
  return password.length >= 12 && /[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9]/.test(password);
}
