import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SIGN_UP_REFUSED, allowedDomainsFrom, createSignUpGuard } from '../../src/entrypoints/handlers/sign-up-guard.js';

/** A pre-sign-up event as Cognito sends it for a pool whose usernames are email addresses. */
function preSignUp(email: string | undefined, triggerSource: PreSignUpTriggerEvent['triggerSource'] = 'PreSignUp_SignUp'): PreSignUpTriggerEvent {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbCdEfGhI',
    // With email as the username attribute, Cognito names the user by a generated id.
    userName: '8c2a7f4e-3b1d-4e5f-9a6b-0c1d2e3f4a5b',
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: triggerSource === 'PreSignUp_AdminCreateUser' ? 'CLIENT_ID_NOT_APPLICABLE' : '4example5clientid6abcdefgh',
    },
    triggerSource,
    request: { userAttributes: email === undefined ? {} : { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

const guard = createSignUpGuard(allowedDomainsFrom('example.org, Team.Example.com'));

describe('the pre-sign-up guard', () => {
  it('lets an address at an allowed domain sign up, and hands the event back unchanged', async () => {
    const event = preSignUp('ada@example.org');
    await expect(guard(event)).resolves.toEqual(preSignUp('ada@example.org'));
    await expect(guard(preSignUp('grace@team.example.com'))).resolves.toBeDefined();
  });

  it('refuses an address at any other domain with a message the person signing up can read', async () => {
    await expect(guard(preSignUp('mallory@gmail.com'))).rejects.toThrow(SIGN_UP_REFUSED);
    expect(SIGN_UP_REFUSED).toBe("Sign-up is by invitation only for this address's domain.");
  });

  it.each([
    ['a subdomain', 'eve@evil.com.example.org'],
    ['a domain that starts like an allowed one', 'eve@example.org.evil.com'],
    ['a domain that ends like an allowed one', 'eve@notexample.org'],
    ['the parent of an allowed domain', 'eve@example.com'],
    ['an allowed domain in the local part', 'example.org@evil.com'],
    ['an allowed domain in a quoted local part', '"eve@example.org"@evil.com'],
  ])('refuses %s', async (_, email) => {
    await expect(guard(preSignUp(email))).rejects.toThrow(SIGN_UP_REFUSED);
  });

  it('compares domains without regard to case, in the address and in the setting', async () => {
    await expect(guard(preSignUp('Ada.Lovelace@EXAMPLE.ORG'))).resolves.toBeDefined();
    await expect(guard(preSignUp('grace@TEAM.example.COM'))).resolves.toBeDefined();
  });

  it('always lets an admin create a user: that is the invitation', async () => {
    await expect(guard(preSignUp('guest@gmail.com', 'PreSignUp_AdminCreateUser'))).resolves.toBeDefined();
    await expect(guard(preSignUp(undefined, 'PreSignUp_AdminCreateUser'))).resolves.toBeDefined();
  });

  it('refuses a sign-up without an email address, or with no domain in it', async () => {
    await expect(guard(preSignUp(undefined))).rejects.toThrow(SIGN_UP_REFUSED);
    await expect(guard(preSignUp(''))).rejects.toThrow(SIGN_UP_REFUSED);
    await expect(guard(preSignUp('ada@'))).rejects.toThrow(SIGN_UP_REFUSED);
    await expect(guard(preSignUp('@example.org'))).rejects.toThrow(SIGN_UP_REFUSED);
  });

  it('lets nobody sign up themselves when no domain is set', async () => {
    await expect(createSignUpGuard(allowedDomainsFrom(undefined))(preSignUp('ada@example.org'))).rejects.toThrow(SIGN_UP_REFUSED);
    await expect(createSignUpGuard(allowedDomainsFrom(' , '))(preSignUp('ada@example.org'))).rejects.toThrow(SIGN_UP_REFUSED);
  });

  it('reads the setting as a comma-separated list, lower-cased, a leading @ dropped', () => {
    expect(allowedDomainsFrom(' Example.org,@team.example.com ,,')).toEqual(['example.org', 'team.example.com']);
  });
});
