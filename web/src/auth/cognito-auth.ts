import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type { AuthConfig } from '../api/types';
import type { AuthProvider, SignedInUser } from './types';

type CognitoConfig = Extract<AuthConfig, { mode: 'cognito' }>;

/**
 * Cognito sign-in with SRP (the password never leaves the browser), sign-up with an emailed code,
 * forgotten passwords, and silent refresh: `getSession` renews the ID token with the refresh token
 * when it has expired. Loaded only in Cognito mode, so local mode never downloads it.
 */
export class CognitoAuth implements AuthProvider {
  private readonly pool: CognitoUserPool;

  constructor(config: CognitoConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      ...(config.endpoint && { endpoint: config.endpoint }),
    });
  }

  signIn(email: string, password: string): Promise<SignedInUser> {
    const user = this.user(email);
    return new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
        onSuccess: (session) => resolve(userOf(session, email)),
        onFailure: (error: Error) => reject(friendly(error)),
        newPasswordRequired: () => reject(new Error('This account needs a new password: use “Forgot password?”.')),
      });
    });
  }

  signUp(email: string, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (error) =>
        error ? reject(friendly(error)) : resolve(),
      );
    });
  }

  confirmSignUp(email: string, code: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmRegistration(code.trim(), true, (error) => (error ? reject(friendly(error as Error)) : resolve()));
    });
  }

  forgotPassword(email: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).forgotPassword({ onSuccess: () => resolve(), onFailure: (error) => reject(friendly(error)), inputVerificationCode: () => resolve() });
    });
  }

  confirmPassword(email: string, code: string, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmPassword(code.trim(), password, { onSuccess: () => resolve(), onFailure: (error) => reject(friendly(error)) });
    });
  }

  async restore(): Promise<SignedInUser | undefined> {
    const session = await this.session();
    return session ? userOf(session) : undefined;
  }

  async idToken(): Promise<string | undefined> {
    return (await this.session())?.getIdToken().getJwtToken();
  }

  signOut(): void {
    this.pool.getCurrentUser()?.signOut();
  }

  private session(): Promise<CognitoUserSession | undefined> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => resolve(error || !session?.isValid() ? undefined : session));
    });
  }

  private user(email: string): CognitoUser {
    return new CognitoUser({ Username: email.trim().toLowerCase(), Pool: this.pool });
  }
}

function userOf(session: CognitoUserSession, fallbackEmail?: string): SignedInUser {
  const claims = session.getIdToken().decodePayload() as { email?: string; 'cognito:username'?: string };
  const email = claims.email ?? fallbackEmail;
  return { name: email ?? claims['cognito:username'] ?? 'user', ...(email && { email }) };
}

/** Cognito's messages are mostly readable; a few codes get plainer words. */
function friendly(error: Error & { code?: string }): Error {
  switch (error.code) {
    case 'NotAuthorizedException':
      return new Error('Wrong email or password.');
    case 'UserNotConfirmedException':
      return Object.assign(new Error('Confirm your account with the code we emailed you.'), { code: error.code });
    case 'UsernameExistsException':
      return new Error('An account with this email already exists: sign in instead.');
    case 'CodeMismatchException':
      return new Error('That code is not right. Check the email and try again.');
    default:
      return new Error(error.message || 'Sign-in failed. Try again.');
  }
}
