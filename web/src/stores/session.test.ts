import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useComposerStore } from './composer';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';
import { useThreadStore } from './thread';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * The local server as the SPA meets it: sign-in hands out `token-<n>`, and the API accepts only the
 * tokens still `valid` (expiring one refuses it, as a server past the token's `exp` does).
 */
function localServer() {
  let issued = 0;
  const valid = new Set<string>();
  const fetchFn = (async (input: string, init: RequestInit = {}) => {
    const path = new URL(input, 'http://app.test').pathname;
    if (path === '/config.json') return json(200, { apiUrl: 'http://app.test', auth: { mode: 'local' } });
    if (path === '/local-auth/token') {
      const idToken = `token-${++issued}`;
      valid.add(idToken);
      return json(200, { idToken, accessToken: 'a', expiresIn: 3600 });
    }
    const token = new Headers(init.headers).get('Authorization')?.replace('Bearer ', '');
    if (!token || !valid.has(token)) return json(401, { error: { code: 'UNAUTHORIZED', message: 'You are not signed in, or your session has expired. Sign in again.' } });
    if (path === '/conversations') return json(200, { items: [{ conversationId: 'c1', title: 'Lyon', createdAt: '', updatedAt: '' }] });
    return json(200, {});
  }) as typeof fetch;
  return { fetchFn, expireAll: () => valid.clear() };
}

/** The session's end waits for the refused call's own handling: one task later. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

describe('a session the API refuses', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    sessionStorage.clear();
  });

  async function signedIn(name: string) {
    const server = localServer();
    const session = useSessionStore();
    await session.start({ fetch: server.fetchFn });
    await session.signInLocal(name);
    return { session, server };
  }

  it('signs the user out here, says so, and forgets their data, but keeps what they were typing for them', async () => {
    const { session, server } = await signedIn('Ada Lovelace');
    const conversations = useConversationsStore();
    await conversations.refresh();
    expect(conversations.items).toHaveLength(1);
    const composer = useComposerStore();
    composer.draft = 'Half a question';

    server.expireAll();
    await expect(conversations.refresh()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await nextTask();
    expect(session.status).toBe('signedOut');
    expect(session.ended).toBe(true);
    expect(session.endedUser).toEqual({ name: 'Ada Lovelace' });
    expect(session.user).toBeUndefined();
    expect(conversations.items).toEqual([]);
    expect(composer.draft).toBe('');

    // The same person (however they type their name) finds their words again.
    await session.signInLocal('ada  lovelace');
    await flushPromises();
    expect(session.ended).toBe(false);
    expect(composer.draft).toBe('Half a question');
  });

  it('gives the words to nobody else, and forgets them on a plain sign-out', async () => {
    const { session, server } = await signedIn('Ada');
    const composer = useComposerStore();
    composer.draft = 'Private thoughts';
    server.expireAll();
    await useConversationsStore().refresh().catch(() => undefined);
    await nextTask();
    await session.signInLocal('Bob');
    await flushPromises();
    expect(composer.draft).toBe('');

    composer.draft = 'Written by Bob';
    session.signOut();
    expect(session.ended).toBe(false);
    await session.signInLocal('Bob');
    await flushPromises();
    expect(composer.draft).toBe('');
  });

  it('puts a question refused for its token back in the composer, with no Retry that cannot succeed', async () => {
    const { session, server } = await signedIn('Ada');
    const thread = useThreadStore();
    const composer = useComposerStore();
    server.expireAll();
    await thread.send('What is an analytical engine?');
    expect(thread.failure).toMatchObject({ code: 'UNAUTHORIZED', refused: true });
    expect(thread.failure?.retry).toBeUndefined();
    expect(composer.draft).toBe('What is an analytical engine?');
    await nextTask();
    expect(session.status).toBe('signedOut');
    expect(thread.messages).toEqual([]);

    await session.signInLocal('Ada');
    await flushPromises();
    expect(composer.draft).toBe('What is an analytical engine?');
  });

  it('ends once for calls refused together, and not at all for a session already over', async () => {
    const { session, server } = await signedIn('Ada');
    let ended = 0;
    session.onSignOut((reason) => {
      if (reason === 'ended') ended++;
    });
    server.expireAll();
    const api = session.client();
    await Promise.allSettled([api.listFiles(), api.getUsage(), api.listConversations()]);
    await nextTask();
    expect(ended).toBe(1);
    await api.listFiles().catch(() => undefined);
    await nextTask();
    expect(ended).toBe(1);
  });
});
