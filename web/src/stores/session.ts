import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { createApiClient, fetchSiteConfig, type ApiClient } from '../api/client';
import type { SiteConfig } from '../api/types';
import type { CognitoAuth } from '../auth/cognito-auth';
import { LocalAuth } from '../auth/local-auth';
import type { AuthProvider, SignedInUser, SignInOutcome } from '../auth/types';

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
  const signOutListeners = new Set<() => void>();

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
      api.value = createApiClient({ fetch: fetchFn, baseUrl: siteConfig.apiUrl, getToken: () => auth.value!.idToken() });
      user.value = await auth.value.restore();
      status.value = user.value ? 'signedIn' : 'signedOut';
    } catch (error) {
      loadError.value = (error as Error).message;
      status.value = 'failed';
    }
  }

  async function signInLocal(name: string): Promise<void> {
    user.value = await (auth.value as LocalAuth).signIn(name.trim());
    status.value = 'signedIn';
  }

  /** The Cognito provider, for the sign-up, confirmation and password screens. */
  function cognito(): CognitoAuth {
    return auth.value as CognitoAuth;
  }

  /** Signs in, unless Cognito asks for a new password first (an invited user's first sign-in): then `completeNewPassword`. */
  async function signInCognito(email: string, password: string): Promise<SignInOutcome['status']> {
    const outcome = await cognito().signIn(email, password);
    if (outcome.status === 'signedIn') {
      user.value = outcome.user;
      status.value = 'signedIn';
    }
    return outcome.status;
  }

  /** The invited user's own password, in place of the temporary one: signs them in. */
  async function completeNewPassword(newPassword: string): Promise<void> {
    user.value = await cognito().completeNewPassword(newPassword);
    status.value = 'signedIn';
  }

  /** `forget` runs on every sign-out: a store clears what it kept of the user (conversations, usage, admins' table). */
  function onSignOut(forget: () => void): void {
    signOutListeners.add(forget);
  }

  function signOut(): void {
    auth.value?.signOut();
    user.value = undefined;
    status.value = 'signedOut';
    for (const forget of signOutListeners) forget();
  }

  /** The API client; only used once signed in. */
  function client(): ApiClient {
    if (!api.value) throw new Error('the session has not started');
    return api.value;
  }

  return { config, user, status, loadError, mode, model, selfSignUp, start, signInLocal, signInCognito, completeNewPassword, cognito, onSignOut, signOut, client };
});
