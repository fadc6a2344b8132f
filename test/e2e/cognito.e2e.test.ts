import { createRequire } from 'node:module';
import type * as CognitoIdentity from 'amazon-cognito-identity-js';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoAdminCall, startMotoCognito, type MotoCognito } from '../support/moto-cognito.js';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

// The library the SPA uses, here from Node: the same SRP exchange, without a browser.
const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = createRequire(import.meta.url)(
  'amazon-cognito-identity-js',
) as typeof CognitoIdentity;

/** Cognito's words for a refusal: a 400 with the exception's name in the body and a header. */
const cognitoRefusal = (route: Route, type: string, message: string) =>
  route.fulfill({
    status: 400,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': `${type}:`, 'Access-Control-Allow-Origin': '*' },
    body: JSON.stringify({ __type: type, message }),
  });

/**
 * Cognito mode end to end: moto_server as the user pool, the API verifying its ID tokens with
 * CognitoJwtVerifier and the pool's JWKS, and the SPA signing up and in with SRP.
 */
describe('Cognito mode against moto_server', () => {
  let cognito: MotoCognito;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    cognito = await startMotoCognito();
    [app, browser] = await Promise.all([
      startApp({
        AUTH_MODE: 'cognito',
        AWS_REGION: 'eu-west-1',
        COGNITO_USER_POOL_ID: cognito.userPoolId,
        COGNITO_CLIENT_ID: cognito.clientId,
        COGNITO_ENDPOINT: cognito.endpoint,
        STORE: 'memory',
        OFFLINE_MODEL_WORD_DELAY_MS: '0',
      }),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await cognito?.stop();
  });

  async function signInFromNode(email: string, password: string) {
    const pool = new CognitoUserPool({ UserPoolId: cognito.userPoolId, ClientId: cognito.clientId, endpoint: cognito.endpoint });
    await new Promise((resolve, reject) =>
      pool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (error, result) => (error ? reject(error) : resolve(result))),
    );
    await cognito.adminConfirm(email);
    const user = new CognitoUser({ Username: email, Pool: pool });
    return new Promise<CognitoIdentity.CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject }),
    );
  }

  it('accepts the pool’s ID tokens, signed in with SRP, and refuses its access tokens', async () => {
    const session = await signInFromNode('grace@example.com', 'Correct-Horse-9');
    const call = (token: string) => fetch(`${app.url}/conversations`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await call(session.getIdToken().getJwtToken())).status).toBe(200);
    const refused = await call(session.getAccessToken().getJwtToken());
    expect(refused.status).toBe(401);
    const config = (await (await fetch(`${app.url}/config.json`)).json()) as { auth: object };
    expect(config.auth).toEqual({ mode: 'cognito', region: 'eu-west-1', userPoolId: cognito.userPoolId, clientId: cognito.clientId, endpoint: cognito.endpoint });
  });

  it('signs up, is confirmed, signs in with SRP and chats, in the browser', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
    await page.getByLabel('Password').fill('Analytical-Engine-1843');
    await snap(page, 'cognito-01-sign-up');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByText('We sent a code to ada@example.com').count(), { timeout: 10_000 }).toBe(1);
    await snap(page, 'cognito-02-confirm');

    // moto sends no email: an administrator confirms the account, then the user signs in.
    await cognito.adminConfirm('ada@example.com');
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await page.getByLabel('Password').fill('Analytical-Engine-1843');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 15_000 }).toBe(1);

    await page.getByRole('textbox', { name: 'Message' }).fill('Hello from Cognito');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('Hello from Cognito');
    await snap(page, 'cognito-03-chat');

    await page.reload();
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).getByRole('link').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });
  it('has an invited user choose their password on first sign-in, then chat, in the browser', async () => {
    // What an admin does (AdminCreateUser): Cognito would email the temporary password; moto sends nothing.
    const email = 'ivy@example.com';
    await cognitoAdminCall(cognito.endpoint, 'AdminCreateUser', {
      UserPoolId: cognito.userPoolId,
      Username: email,
      TemporaryPassword: 'Temporary-Pass-1',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
      MessageAction: 'SUPPRESS',
    });
    const status = async () => (await cognitoAdminCall<{ UserStatus: string }>(cognito.endpoint, 'AdminGetUser', { UserPoolId: cognito.userPoolId, Username: email })).UserStatus;
    expect(await status()).toBe('FORCE_CHANGE_PASSWORD');

    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // moto answers NEW_PASSWORD_REQUIRED with the user name only; Cognito adds the user's attributes
    // and the required ones, which amazon-cognito-identity-js parses (and fails without). Added here
    // as Cognito sends them; what the SPA answers is recorded, to check it sends no attributes back.
    const answers: Array<Record<string, string>> = [];
    await page.route((url) => url.origin === new URL(cognito.endpoint).origin, async (route) => {
      const request = route.request();
      const body = JSON.parse(request.postData() ?? '{}') as { ChallengeName?: string; ChallengeResponses?: Record<string, string> };
      if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED') answers.push(body.ChallengeResponses ?? {});
      const response = await route.fetch();
      const reply = (await response.json().catch(() => undefined)) as { ChallengeName?: string; ChallengeParameters?: Record<string, string> } | undefined;
      if (reply?.ChallengeName !== 'NEW_PASSWORD_REQUIRED') return route.fulfill({ response });
      reply.ChallengeParameters = { ...reply.ChallengeParameters, userAttributes: JSON.stringify({ email_verified: 'true', email }), requiredAttributes: '[]' };
      return route.fulfill({ response, json: reply });
    });

    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill('Temporary-Pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Choose your password' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByText(`Choose your own password for ${email}`).count()).toBe(1);

    // By keyboard: the step starts in the new password; a mistyped confirmation is caught first.
    const chosen = page.getByLabel('New password', { exact: true });
    await expect.poll(() => chosen.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('My-Own-Password-42');
    await page.keyboard.press('Tab');
    await page.keyboard.type('My-Own-Password-24');
    await snap(page, 'cognito-04-choose-password');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The two passwords are not the same.');
    await snap(page, 'cognito-04b-passwords-differ');
    await page.getByLabel('Confirm the new password').fill('My-Own-Password-42');
    await page.getByLabel('Confirm the new password').press('Enter');
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 15_000 }).toBe(1);

    // Nothing but the password and the user went back: Cognito refuses writes to email and email_verified.
    expect(answers).toEqual([{ NEW_PASSWORD: 'My-Own-Password-42', USERNAME: expect.any(String) }]);
    expect(await status()).toBe('CONFIRMED');
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello, I was invited');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('Hello, I was invited');
    await snap(page, 'cognito-05-invited-chat');

    // From now on the password is theirs: signing in again asks nothing more.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill('My-Own-Password-42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 15_000 }).toBe(1);
    expect(answers).toHaveLength(1);
    await page.close();
  });

  it('offers no sign-up on an invite-only site, and words a refused sign-up', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // config.json as the stack writes it for an invite-only pool (npm start writes no selfSignUp).
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as { auth: Record<string, unknown> };
      return route.fulfill({ response, json: { ...config, auth: { ...config.auth, selfSignUp: false } } });
    });
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Create an account' }).count()).toBe(0);
    expect(await page.getByText('No account yet? Ask an admin for an invitation.').count()).toBe(1);
    await snap(page, 'cognito-06-invite-only');
    await page.close();

    // A stack from before selfSignUp offers sign-up; its invite-only pool refuses it. moto signs
    // anyone up (it does not enforce AllowAdminCreateUserOnly): Cognito's refusals are played here.
    const older = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let refusal: [string, string] = ['NotAuthorizedException', 'SignUp is not permitted for this user pool'];
    await older.route((url) => url.origin === new URL(cognito.endpoint).origin, (route) =>
      route.request().headers()['x-amz-target']?.endsWith('.SignUp') ? cognitoRefusal(route, ...refusal) : route.fallback(),
    );
    await older.goto(app.url);
    await older.getByRole('button', { name: 'Create an account' }).click();
    await older.getByRole('textbox', { name: 'Email' }).fill('mallory@example.com');
    await older.getByLabel('Password').fill('Long-Enough-Pass-1');
    await older.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => older.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Accounts here are by invitation only. Ask an admin for an invitation.');
    // The pre-sign-up trigger of a pool open to some domains only.
    refusal = ['UserLambdaValidationException', "PreSignUp failed with error Sign-up is by invitation only for this address's domain."];
    await older.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => older.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('Only addresses at some email domains may create an account here');
    await older.close();
  });

  it('renews a refused or expired ID token with the refresh token, silently, and asks to sign in once that is revoked too', async () => {
    const email = 'lin@example.com';
    await signInFromNode(email, 'Refresh-Token-42');
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let refreshes = 0;
    const chats: number[] = [];
    page.on('request', (request) => {
      if (request.headers()['x-amz-target']?.endsWith('.InitiateAuth') && request.postData()?.includes('REFRESH_TOKEN_AUTH')) refreshes++;
    });
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/chat') chats.push(response.status());
    });
    /** Changes the ID token the library keeps: a signature the pool did not make, and optionally an expiry already past. */
    const alterIdToken = (expired: boolean) =>
      page.evaluate((expired) => {
        // The page's own (this file is checked without the DOM's types).
        const { localStorage } = globalThis as unknown as { localStorage: Record<string, string> & { getItem(key: string): string | null; setItem(key: string, value: string): void } };
        const key = Object.keys(localStorage).find((name) => name.endsWith('.idToken'))!;
        const [header, payload, signature] = localStorage.getItem(key)!.split('.');
        const claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number };
        if (expired) claims.exp = Math.floor(Date.now() / 1000) - 60;
        const encoded = btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        localStorage.setItem(key, `${header}.${encoded}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`);
      }, expired);
    const message = () => page.getByRole('textbox', { name: 'Message' });
    const answers = () => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
    async function ask(text: string, count: number): Promise<void> {
      await message().fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => answers().nth(count - 1).textContent(), { timeout: 20_000 }).toContain(text);
    }

    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill('Refresh-Token-42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().count(), { timeout: 15_000 }).toBe(1);

    // Refused by the API (as a revoked token would be): renewed, and the same request sent again.
    await alterIdToken(false);
    await ask('First question', 1);
    expect(chats).toEqual([401, 200]);
    expect(refreshes).toBe(1);

    // Expired by its own claim: renewed before the call, which the API takes at once.
    await alterIdToken(true);
    await ask('Second question', 2);
    expect(chats).toEqual([401, 200, 200]);
    expect(refreshes).toBe(2);

    // Signed out everywhere: the refresh token is refused too, so it is the sign-in screen.
    // By the user's own name in the pool (moto matches its refresh tokens by that, not by the email alias).
    const { Username } = await cognitoAdminCall<{ Username: string }>(cognito.endpoint, 'AdminGetUser', { UserPoolId: cognito.userPoolId, Username: email });
    await cognitoAdminCall(cognito.endpoint, 'AdminUserGlobalSignOut', { UserPoolId: cognito.userPoolId, Username });
    await alterIdToken(false);
    await message().fill('Third question');
    await page.getByRole('button', { name: 'Send' }).click();
    // The library tries a refused refresh again for a few seconds before it gives up.
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your session has ended. Sign in again.' }).count(), { timeout: 30_000 }).toBe(1);
    await snap(page, 'cognito-07-session-ended');
    // The form offers the address of the ID token's email claim, which moto fills with the user's id: typed here.
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill('Refresh-Token-42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().inputValue(), { timeout: 15_000 }).toBe('Third question');
    await page.close();
  });
});
