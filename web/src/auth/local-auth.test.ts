import { beforeEach, describe, expect, it } from 'vitest';
import { LocalAuth } from './local-auth';

describe('local sign-in', () => {
  beforeEach(() => sessionStorage.clear());

  const server = (async () =>
    new Response(JSON.stringify({ idToken: 'id-1', accessToken: 'a', expiresIn: 60 }), { status: 200, headers: { 'Content-Type': 'application/json' } })) as unknown as typeof fetch;

  it('keeps the token for the tab until it expires, with nothing to renew it', async () => {
    let now = Date.parse('2026-11-02T10:00:00Z');
    const auth = () => new LocalAuth(server, 'http://app.test', sessionStorage, () => now);
    expect(await auth().signIn('Ada')).toEqual({ name: 'Ada' });
    expect(await auth().restore()).toEqual({ name: 'Ada' });
    expect(await auth().idToken()).toBe('id-1');
    expect(await auth().refresh()).toBeUndefined();

    // Past its lifetime on this clock: still sent (the server's clock decides), but a new page load starts at sign-in.
    now += 61_000;
    expect(await auth().idToken()).toBe('id-1');
    expect(await auth().restore()).toBeUndefined();
    expect(await auth().idToken()).toBeUndefined();
  });
});
