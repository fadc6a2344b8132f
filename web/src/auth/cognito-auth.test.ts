import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoAuth } from './cognito-auth';
import type { AuthError } from './types';

/** A JWT the library can decode (it checks no signature). */
const jwt = (claims: object) => `e30.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600, iat: Math.floor(Date.now() / 1000), ...claims }))}.sig`;

type Reply = { status?: number; body: object };
/** Cognito's API as the browser reaches it: one POST per operation, named by X-Amz-Target. */
function fakeCognito(answer: (operation: string, body: Record<string, unknown>) => Reply) {
  const asked: Array<{ operation: string; body: Record<string, unknown> }> = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const operation = String((init.headers as Record<string, string>)['X-Amz-Target']).split('.').pop()!;
    const body = JSON.parse(init.body as string) as Record<string, unknown>;
    asked.push({ operation, body });
    const reply = answer(operation, body);
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'Content-Type': 'application/x-amz-json-1.1' } });
  });
  return asked;
}

const refuse = (type: string, message: string): Reply => ({ status: 400, body: { __type: type, message } });

/** Up to the password check: Cognito's SRP parameters (the proof is not checked here). */
function srp(operation: string, after: () => Reply): Reply {
  if (operation === 'InitiateAuth') {
    return { body: { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SALT: 'a1b2c3d4e5f6', SRP_B: 'ab'.repeat(64), USER_ID_FOR_SRP: 'user-sub-1', USERNAME: 'user-sub-1', SECRET_BLOCK: btoa('secret') } } };
  }
  return after();
}

const auth = () => new CognitoAuth({ mode: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_pool', clientId: 'client-1', endpoint: 'http://cognito.test' });

describe('Cognito sign-in', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it('lets an invited user choose their password on first sign-in, sending back no attributes', async () => {
    const idToken = jwt({ email: 'ivy@example.com' });
    const asked = fakeCognito((operation, body) =>
      srp(operation, () => {
        const responses = body.ChallengeResponses as Record<string, string>;
        if (body.ChallengeName === 'PASSWORD_VERIFIER') {
          // As Cognito words it for a user in FORCE_CHANGE_PASSWORD: their attributes, none required.
          return { body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'challenge-session', ChallengeParameters: { USER_ID_FOR_SRP: 'user-sub-1', userAttributes: '{"email_verified":"true","email":"ivy@example.com"}', requiredAttributes: '[]' } } };
        }
        expect(responses.NEW_PASSWORD).toBe('Brand-New-Pass-9');
        return { body: { ChallengeParameters: {}, AuthenticationResult: { IdToken: idToken, AccessToken: jwt({ username: 'user-sub-1' }), RefreshToken: 'refresh', ExpiresIn: 3600, TokenType: 'Bearer' } } };
      }),
    );
    const cognito = auth();
    expect(await cognito.signIn('Ivy@example.com', 'Temp-Pass-1234')).toEqual({ status: 'newPasswordRequired' });
    expect(await cognito.completeNewPassword('Brand-New-Pass-9')).toEqual({ name: 'ivy@example.com', email: 'ivy@example.com' });
    const answer = asked.at(-1)!;
    expect(answer).toMatchObject({ operation: 'RespondToAuthChallenge', body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'challenge-session' } });
    // email and email_verified are Cognito's to write: sending them back is refused.
    expect(answer.body.ChallengeResponses).toEqual({ NEW_PASSWORD: 'Brand-New-Pass-9', USERNAME: 'user-sub-1' });
    // Signed in for good: the tokens are kept for the next visit.
    expect(await cognito.idToken()).toBe(idToken);
    expect(await cognito.restore()).toEqual({ name: 'ivy@example.com', email: 'ivy@example.com' });
  });

  it('says when the new password comes too late, or too weak', async () => {
    let reply = refuse('InvalidPasswordException', 'Password does not conform to policy: Password not long enough');
    fakeCognito((operation, body) =>
      srp(operation, () =>
        body.ChallengeName === 'PASSWORD_VERIFIER'
          ? { body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's', ChallengeParameters: { userAttributes: '{}', requiredAttributes: '[]' } } }
          : reply,
      ),
    );
    const cognito = auth();
    await cognito.signIn('ivy@example.com', 'Temp-Pass-1234');
    await expect(cognito.completeNewPassword('short')).rejects.toMatchObject({ reason: 'weakPassword' });
    reply = refuse('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    await expect(cognito.completeNewPassword('Brand-New-Pass-9')).rejects.toMatchObject({ reason: 'challengeExpired' });
    // Spent: only a new sign-in gets another challenge.
    await expect(cognito.completeNewPassword('Brand-New-Pass-9')).rejects.toMatchObject({ reason: 'challengeExpired' });
  });

  it('tells a wrong password from an expired invitation', async () => {
    let reply = refuse('NotAuthorizedException', 'Incorrect username or password.');
    fakeCognito((operation) => srp(operation, () => reply));
    await expect(auth().signIn('ivy@example.com', 'nope')).rejects.toMatchObject({ reason: 'wrongPassword' });
    reply = refuse('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
    await expect(auth().signIn('ivy@example.com', 'Temp-Pass-1234')).rejects.toMatchObject({ reason: 'invitationExpired' });
  });

  it('words a refused sign-up: an invite-only pool, or an address outside the allowed domains', async () => {
    let reply = refuse('NotAuthorizedException', 'SignUp is not permitted for this user pool');
    fakeCognito(() => reply);
    const refusal = (await auth().signUp('eve@example.com', 'Long-Enough-Pass-1').catch((error: unknown) => error)) as AuthError;
    expect(refusal).toMatchObject({ reason: 'signUpClosed', code: 'NotAuthorizedException' });
    expect(refusal.message).not.toContain('Wrong email or password');
    reply = refuse('UserLambdaValidationException', "PreSignUp failed with error Sign-up is by invitation only for this address's domain.");
    await expect(auth().signUp('eve@elsewhere.example', 'Long-Enough-Pass-1')).rejects.toMatchObject({ reason: 'signUpDomain' });
    // "Forgot password?" before the invitation's first sign-in.
    reply = refuse('NotAuthorizedException', 'User password cannot be reset in the current state.');
    await expect(auth().forgotPassword('ivy@example.com')).rejects.toMatchObject({ reason: 'notActivated' });
  });
});

describe('Cognito refusals worded for the user', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('tells too many attempts and an expired code from a wrong one', async () => {
    let reply = refuse('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    fakeCognito(() => reply);
    await expect(auth().forgotPassword('ivy@example.com')).rejects.toMatchObject({ reason: 'tooManyAttempts' });
    reply = refuse('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    await expect(auth().confirmSignUp('ivy@example.com', '123456')).rejects.toMatchObject({ reason: 'codeExpired' });
  });
});

describe('Cognito sessions', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  /** Tokens as the library keeps them after a sign-in, the ID token expiring in `secondsLeft`. */
  function signedIn(secondsLeft: number): string {
    const prefix = 'CognitoIdentityServiceProvider.client-1';
    const now = Math.floor(Date.now() / 1000);
    const idToken = jwt({ email: 'ivy@example.com', iat: now - 3600 + secondsLeft, exp: now + secondsLeft });
    localStorage.setItem(`${prefix}.LastAuthUser`, 'user-sub-1');
    localStorage.setItem(`${prefix}.user-sub-1.idToken`, idToken);
    localStorage.setItem(`${prefix}.user-sub-1.accessToken`, jwt({ username: 'user-sub-1', iat: now - 3600 + secondsLeft, exp: now + secondsLeft }));
    localStorage.setItem(`${prefix}.user-sub-1.refreshToken`, 'refresh-1');
    localStorage.setItem(`${prefix}.user-sub-1.clockDrift`, '0');
    return idToken;
  }

  /** Cognito answering REFRESH_TOKEN_AUTH with new tokens. */
  function renewing(newIdToken: string) {
    return fakeCognito((operation, body) => {
      expect(operation).toBe('InitiateAuth');
      expect(body).toMatchObject({ AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } });
      return { body: { AuthenticationResult: { IdToken: newIdToken, AccessToken: jwt({ username: 'user-sub-1' }), ExpiresIn: 3600, TokenType: 'Bearer' } } };
    });
  }

  it('uses a valid ID token as it is, and renews one that has expired or is about to, silently', async () => {
    const current = signedIn(1800);
    const asked = renewing(jwt({ email: 'ivy@example.com', fresh: 1 }));
    expect(await auth().idToken()).toBe(current);
    expect(asked).toEqual([]);

    for (const secondsLeft of [-30, 20]) {
      localStorage.clear();
      signedIn(secondsLeft);
      const renewed = jwt({ email: 'ivy@example.com', fresh: secondsLeft });
      const calls = renewing(renewed);
      const cognito = auth();
      expect(await cognito.idToken()).toBe(renewed);
      // Kept: the next call, and the next visit, use it without asking again.
      expect(await cognito.idToken()).toBe(renewed);
      expect(await cognito.restore()).toEqual({ name: 'ivy@example.com', email: 'ivy@example.com' });
      expect(calls).toHaveLength(1);
    }
  });

  it('renews on demand a token the API refused, once for the calls refused together', async () => {
    signedIn(1800);
    const renewed = jwt({ email: 'ivy@example.com', fresh: 'forced' });
    const asked = renewing(renewed);
    const cognito = auth();
    expect(await Promise.all([cognito.refresh(), cognito.refresh()])).toEqual([renewed, renewed]);
    expect(asked).toHaveLength(1);
    expect(await cognito.idToken()).toBe(renewed);
  });

  /** What `run` ends with once the library has tried again as often as it does (a few seconds of backoff). */
  async function settled<T>(run: () => Promise<T>): Promise<T | Error> {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const outcome = run().catch((error: Error) => error);
      await vi.runAllTimersAsync();
      return await outcome;
    } finally {
      vi.useRealTimers();
    }
  }

  it('keeps the session when Cognito cannot be reached or fails, with a failure worth retrying', async () => {
    const current = signedIn(1800);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const cognito = auth();
    expect(await settled(() => cognito.refresh())).toMatchObject({ name: 'ApiError', status: 0, code: 'NETWORK_ERROR', retryable: true });
    fakeCognito(() => ({ status: 500, body: { __type: 'InternalErrorException', message: 'Internal error' } }));
    expect(await settled(() => cognito.refresh())).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    // Still signed in: the stored tokens are kept, and the next renewal, Cognito back, works.
    expect(await cognito.restore()).toEqual({ name: 'ivy@example.com', email: 'ivy@example.com' });
    expect(await cognito.idToken()).toBe(current);
    const renewed = jwt({ email: 'ivy@example.com', fresh: 'back' });
    renewing(renewed);
    expect(await cognito.refresh()).toBe(renewed);
  });

  it('keeps an expired session too when Cognito cannot be reached to renew it', async () => {
    signedIn(-30);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await settled(() => auth().idToken())).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    const renewed = jwt({ email: 'ivy@example.com', fresh: 'back' });
    renewing(renewed);
    expect(await auth().idToken()).toBe(renewed);
  });

  it('ends the session when Cognito refuses the refresh token (expired, revoked)', async () => {
    signedIn(1800);
    fakeCognito(() => refuse('NotAuthorizedException', 'Refresh Token has been revoked'));
    const cognito = auth();
    expect(await settled(() => cognito.refresh())).toBeUndefined();
    expect(await cognito.restore()).toBeUndefined();

    signedIn(-30);
    fakeCognito(() => refuse('NotAuthorizedException', 'Refresh Token has expired'));
    expect(await settled(() => auth().idToken())).toBeUndefined();
    expect(await auth().restore()).toBeUndefined();
  });

  it('has nothing to renew with when nobody signed in', async () => {
    const asked = renewing('never');
    expect(await auth().refresh()).toBeUndefined();
    expect(await auth().idToken()).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
