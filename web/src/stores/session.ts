import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { createApiClient, fetchSiteConfig, type ApiClient } from '../api/client';
import type { SiteConfig } from '../api/types';
import type { CognitoAuth } from '../auth/cognito-auth';
import { LocalAuth } from '../auth/local-auth';
import type { AuthProvider, SignedInUser, SignInOutcome } from '../auth/types';
import { unsentQuestionsOf } from '../lib/unsent-questions';

/**
 * Why a session ended: the user signed out, or the API refused their token even after a refresh
 * (expired, revoked), when what they were typing is kept for their next sign-in.
 */
export type SignOutReason = 'signedOut' | 'ended';

/**
 * Who is signed in and how: reads /config.json, picks local or Cognito sign-in, and builds the API
 * client every other store uses, with the current ID token on each call. On sign-out, every store
 * that keeps a user's data forgets it (each registers with `onSignOut` when first used).
 */
export const useSessionStore = defineStore('session', () => {
  const config = ref<SiteConfig>();
  const user = ref<SignedInUser>();
  const status = ref<'loading' | 'signedOut' | 'signedIn' | 'failed'>('loading');
  const loadError = ref<string>();
  const auth = shallowRef<AuthProvider>();
  const api = shallowRef<ApiClient>();
  let fetchFn: typeof fetch = (...args) => fetch(...args);
  const signOutListeners = new Set<(reason: SignOutReason, user: SignedInUser | undefined) => void>();
  /** The API refused the session: the sign-in screen says so (and the router goes there). */
  const ended = ref(false);
  /** Who was signed in when the session ended, for the sign-in form. */
  const endedUser = ref<SignedInUser>();
  let ending = false;

  const mode = computed(() => config.value?.auth.mode);
  /** Whether the sign-in page offers "Create an account": not on an invite-only pool (stacks that do not say offered it). */
  const selfSignUp = computed(() => config.value?.auth.mode === 'cognito' && config.value.auth.selfSignUp !== false);
  const model = computed(() => config.value?.model);

  async function start(options: { fetch?: typeof fetch } = {}): Promise<void> {
    if (options.fetch) fetchFn = options.fetch;
    try {
      config.value = await fetchSiteConfig(fetchFn);
      const siteConfig = config.value;
      // Under `npm run dev:web` the API is reached through Vite's proxy, on this page's own origin.
      if (import.meta.env.DEV) siteConfig.apiUrl = location.origin;
      if (siteConfig.auth.mode === 'cognito') {
        const { CognitoAuth } = await import('../auth/cognito-auth');
        auth.value = new CognitoAuth(siteConfig.auth);
      } else {
        auth.value = new LocalAuth(fetchFn, siteConfig.apiUrl);
      }
      api.value = createApiClient({
        fetch: fetchFn,
        baseUrl: siteConfig.apiUrl,
        getToken: () => auth.value!.idToken(),
        refreshToken: () => auth.value!.refresh(),
        onUnauthorized: sessionRefused,
      });
      user.value = await auth.value.restore();
      status.value = user.value ? 'signedIn' : 'signedOut';
    } catch (error) {
      loadError.value = (error as Error).message;
      status.value = 'failed';
    }
  }

  async function signInLocal(name: string): Promise<void> {
    signedIn(await (auth.value as LocalAuth).signIn(name.trim()));
  }

  function signedIn(who: SignedInUser): void {
    user.value = who;
    status.value = 'signedIn';
    ended.value = false;
    endedUser.value = undefined;
  }

  /** The Cognito provider, for the sign-up, confirmation and password screens. */
  function cognito(): CognitoAuth {
    return auth.value as CognitoAuth;
  }

  /** Signs in, unless Cognito asks for a new password first (an invited user's first sign-in): then `completeNewPassword`. */
  async function signInCognito(email: string, password: string): Promise<SignInOutcome['status']> {
    const outcome = await cognito().signIn(email, password);
    if (outcome.status === 'signedIn') signedIn(outcome.user);
    return outcome.status;
  }

  /** The invited user's own password, in place of the temporary one: signs them in. */
  async function completeNewPassword(newPassword: string): Promise<void> {
    signedIn(await cognito().completeNewPassword(newPassword));
  }

  /**
   * `forget` runs on every sign-out: a store clears what it kept of the user (conversations, usage,
   * admins' table). It hears why, and who it was, to keep their unsent words when the session ended.
   */
  function onSignOut(forget: (reason: SignOutReason, user: SignedInUser | undefined) => void): void {
    signOutListeners.add(forget);
  }

  function signOut(reason: SignOutReason = 'signedOut'): void {
    const who = user.value;
    auth.value?.signOut();
    user.value = undefined;
    status.value = 'signedOut';
    // Kept in this browser's storage, the unsent questions go here, whichever stores this page
    // used: an explicit sign-out forgets them; a session that ended keeps them for the user's return.
    if (reason === 'signedOut') unsentQuestionsOf(who)?.forgetAll();
    for (const forget of signOutListeners) forget(reason, who);
  }

  /**
   * An API call was refused with 401 after the refresh attempt: signed out here, with the sign-in
   * screen saying why. Deferred to the next task, so that the refused call's own handling runs
   * first (a question that was not sent goes back to the composer) before the stores are cleared;
   * the calls refused at the same moment end the session once.
   */
  function sessionRefused(): void {
    if (status.value !== 'signedIn' || ending) return;
    ending = true;
    setTimeout(() => {
      ending = false;
      if (status.value !== 'signedIn') return;
      endedUser.value = user.value;
      ended.value = true;
      signOut('ended');
    });
  }

  /** The API client; only used once signed in. */
  function client(): ApiClient {
    if (!api.value) throw new Error('the session has not started');
    return api.value;
  }

  return {
    config, user, status, loadError, mode, model, selfSignUp, ended, endedUser,
    start, signInLocal, signInCognito, completeNewPassword, cognito, onSignOut, signOut, sessionRefused, client,
  };
});
