import { createRequire } from 'node:module';
import type * as CognitoIdentity from 'amazon-cognito-identity-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoCognito, type MotoCognito } from '../support/moto-cognito.js';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

// The library the SPA uses, here from Node: the same SRP exchange, without a browser.
const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = createRequire(import.meta.url)(
  'amazon-cognito-identity-js',
) as typeof CognitoIdentity;

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
});
