import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { ApiError } from '../api/client';
import type { AuthConfig } from '../api/types';
import type { AuthError, AuthFailureReason, AuthProvider, SignedInUser, SignInOutcome } from './types';

type CognitoConfig = Extract<AuthConfig, { mode: 'cognito' }>;

/**
 * Cognito sign-in with SRP (the password never leaves the browser), an invited user's first
 * sign-in (the temporary password from the invitation, then one of their own), sign-up with an
 * emailed code, forgotten passwords, and silent refresh: `getSession` renews the ID token with the
 * refresh token when it has expired. Loaded only in Cognito mode, so local mode never downloads it.
 */
export class CognitoAuth implements AuthProvider {
  private readonly pool: CognitoUserPool;
  /** The user between a sign-in answered with NEW_PASSWORD_REQUIRED and their new password: it holds the challenge's session. */
  private challenged?: { user: CognitoUser; email: string };
  /** The renewal under way, shared by the calls that need it. */
  private renewing?: Promise<string | undefined>;

  constructor(config: CognitoConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      ...(config.endpoint && { endpoint: config.endpoint }),
    });
  }

  signIn(email: string, password: string): Promise<SignInOutcome> {
    const user = this.user(email);
    this.challenged = undefined;
    return new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
        onSuccess: (session) => resolve({ status: 'signedIn', user: userOf(session, email) }),
        onFailure: (error: Error) => reject(friendly(error, 'signIn')),
        // An invited user (AdminCreateUser) signing in with the emailed temporary password: the
        // account stays in FORCE_CHANGE_PASSWORD, and "Forgot password?" refused, until they choose one.
        newPasswordRequired: () => {
          this.challenged = { user, email };
          resolve({ status: 'newPasswordRequired' });
        },
      });
    });
  }

  /**
   * Answers the NEW_PASSWORD_REQUIRED challenge of the last sign-in with the password the user
   * chose, and signs them in. No attributes go back: the challenge lists the user's own (email,
   * email_verified), which Cognito refuses to have written, and the pool requires no others.
   */
  completeNewPassword(newPassword: string): Promise<SignedInUser> {
    const challenged = this.challenged;
    if (!challenged) return Promise.reject(authError('Sign in again with the temporary password.', 'challengeExpired'));
    return new Promise((resolve, reject) => {
      challenged.user.completeNewPasswordChallenge(newPassword, {}, {
        onSuccess: (session) => {
          this.challenged = undefined;
          resolve(userOf(session, challenged.email));
        },
        onFailure: (error: Error) => {
          const failure = friendly(error, 'newPassword');
          // The challenge's session is spent or expired (3 minutes): only a new sign-in gets another.
          if (failure.reason === 'challengeExpired') this.challenged = undefined;
          reject(failure);
        },
      });
    });
  }

  signUp(email: string, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (error) =>
        error ? reject(friendly(error, 'signUp')) : resolve(),
      );
    });
  }

  confirmSignUp(email: string, code: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmRegistration(code.trim(), true, (error) => (error ? reject(friendly(error as Error, 'confirm')) : resolve()));
    });
  }

  forgotPassword(email: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).forgotPassword({ onSuccess: () => resolve(), onFailure: (error) => reject(friendly(error, 'forgot')), inputVerificationCode: () => resolve() });
    });
  }

  confirmPassword(email: string, code: string, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmPassword(code.trim(), password, { onSuccess: () => resolve(), onFailure: (error) => reject(friendly(error, 'reset')) });
    });
  }

  async restore(): Promise<SignedInUser | undefined> {
    const session = await this.session();
    return session ? userOf(session) : undefined;
  }

  /** The ID token, renewed first when it has expired or is about to (a token that lapses on its way is refused all the same). */
  async idToken(): Promise<string | undefined> {
    const session = await this.session();
    if (!session) return undefined;
    if (secondsLeft(session) < RENEW_BEFORE_SECONDS) return this.refresh();
    return session.getIdToken().getJwtToken();
  }

  /**
   * New tokens from the refresh token (REFRESH_TOKEN_AUTH), whatever the stored ones say: the API
   * refused them (revoked, or this browser's clock is wrong). Calls refused at the same moment
   * share one renewal. Undefined when the refresh token is refused too (expired, or signed out
   * everywhere): the library then forgets the stored tokens. Cognito out of reach (or in trouble)
   * is no refusal: a NETWORK_ERROR to retry, and the user stays signed in.
   */
  refresh(): Promise<string | undefined> {
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  signOut(): void {
    this.challenged = undefined;
    this.pool.getCurrentUser()?.signOut();
  }

  private async renew(): Promise<string | undefined> {
    const user = this.pool.getCurrentUser();
    const session = user && (await this.session(user));
    if (!user || !session) return undefined;
    return new Promise((resolve, reject) => {
      user.refreshSession(session.getRefreshToken(), (error: (Error & { code?: string }) | null, renewed: CognitoUserSession | null) => {
        if (error && !sessionRefused(error)) reject(unreachable());
        else resolve(error || !renewed ? undefined : renewed.getIdToken().getJwtToken());
      });
    });
  }

  /**
   * The stored session; `getSession` renews it with the refresh token when it has expired.
   * Undefined when there is none or the refresh token was refused; Cognito out of reach is thrown.
   */
  private session(user = this.pool.getCurrentUser()): Promise<CognitoUserSession | undefined> {
    if (!user) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      user.getSession((error: (Error & { code?: string }) | null, session: CognitoUserSession | null) => {
        // The library's own "no tokens stored" errors carry no code: nobody to renew. What came
        // back from Cognito has one, or is a TypeError (an answer that was not Cognito's JSON).
        const fromCognito = error?.code !== undefined || error instanceof TypeError;
        if (error && fromCognito && !sessionRefused(error)) reject(unreachable());
        else resolve(error || !session?.isValid() ? undefined : session);
      });
    });
  }

  private user(email: string): CognitoUser {
    return new CognitoUser({ Username: email.trim().toLowerCase(), Pool: this.pool });
  }
}

/**
 * Cognito refusing the refresh token: expired, revoked (signed out everywhere), or its user
 * disabled or deleted. Only these end the session; a network outage or a Cognito hiccup does not.
 */
function sessionRefused(error: Error & { code?: string }): boolean {
  const code = error.code ?? error.name;
  return code === 'NotAuthorizedException' || code === 'UserNotFoundException';
}

/** The renewal did not reach Cognito, or Cognito failed: the API call that needed it can be tried again. */
function unreachable(): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', 'The sign-in service cannot be reached. Check your connection and try again.');
}

/** Renew this long before the ID token expires, so that it does not lapse between here and the API. */
const RENEW_BEFORE_SECONDS = 60;

/**
 * Seconds until the ID token expires, on Cognito's clock: the library measures this browser's
 * drift from it when the tokens arrive (`getClockDrift`, in its code though not in its types).
 */
function secondsLeft(session: CognitoUserSession): number {
  const drift = (session as CognitoUserSession & { getClockDrift?: () => number }).getClockDrift?.() ?? 0;
  return session.getIdToken().getExpiration() - (Math.floor(Date.now() / 1000) - drift);
}

function userOf(session: CognitoUserSession, fallbackEmail?: string): SignedInUser {
  const claims = session.getIdToken().decodePayload() as { email?: string; 'cognito:username'?: string };
  const email = claims.email ?? fallbackEmail;
  return { name: email ?? claims['cognito:username'] ?? 'user', ...(email && { email }) };
}

function authError(message: string, reason?: AuthFailureReason, code?: string): AuthError {
  return Object.assign(new Error(message), { name: 'AuthError', ...(reason && { reason }), ...(code && { code }) });
}

type Operation = 'signIn' | 'newPassword' | 'signUp' | 'confirm' | 'forgot' | 'reset';

/**
 * Cognito's refusals, with the reason the sign-in page words in the user's language; the English
 * here is for the rest. Cognito says NotAuthorizedException for several things: which one it
 * means depends on what was asked, and for sign-in on the message.
 */
export function friendly(error: Error & { code?: string }, operation: Operation): AuthError {
  const code = error.code ?? error.name;
  switch (code) {
    case 'NotAuthorizedException':
      // An invite-only pool (AllowAdminCreateUserOnly): "SignUp is not permitted for this user pool".
      if (operation === 'signUp') return authError('Sign-up is by invitation only. Ask an admin for an invitation.', 'signUpClosed', code);
      // "Temporary password has expired and must be reset by an administrator."
      if (/temporary password has expired/i.test(error.message)) return authError('Your invitation has expired. Ask an admin for a new one.', 'invitationExpired', code);
      // "Invalid session for the user, session is expired.": the challenge lasts 3 minutes.
      if (operation === 'newPassword') return authError('This took too long. Sign in again with the temporary password.', 'challengeExpired', code);
      // "User password cannot be reset in the current state.": invited, still on the temporary password.
      if (operation === 'forgot' || operation === 'reset') return authError('Sign in with the temporary password from your invitation email first.', 'notActivated', code);
      if (operation === 'signIn') return authError('Wrong email or password.', 'wrongPassword', code);
      return authError(error.message || 'Sign-in failed. Try again.', undefined, code);
    case 'UserLambdaValidationException':
      // The pre-sign-up trigger of a pool open to some email domains only: "PreSignUp failed with error Sign-up is by invitation only for this address's domain."
      if (operation === 'signUp' && /PreSignUp failed/i.test(error.message)) return authError('Sign-up is open to some email domains only, not this one. Ask an admin for an invitation.', 'signUpDomain', code);
      return authError(error.message || 'Sign-in failed. Try again.', undefined, code);
    case 'UserNotConfirmedException':
      return authError('Confirm your account with the code we emailed you.', 'notConfirmed', code);
    case 'UsernameExistsException':
      return authError('An account with this email already exists: sign in instead.', 'accountExists', code);
    case 'CodeMismatchException':
      return authError('That code is not right. Check the email and try again.', 'wrongCode', code);
    case 'InvalidPasswordException':
      return authError('Use at least 12 characters, with upper and lower case letters and a number.', 'weakPassword', code);
    case 'ExpiredCodeException':
      return authError('That code has expired. Ask for a new one.', 'codeExpired', code);
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return authError('Too many attempts. Wait a few minutes and try again.', 'tooManyAttempts', code);
    // The library's own name for a fetch that failed: Cognito was not reached.
    case 'NetworkError':
      return authError('The sign-in service cannot be reached. Check your connection and try again.', 'unreachable', code);
    default:
      return authError(error.message || 'Sign-in failed. Try again.', undefined, code);
  }
}
