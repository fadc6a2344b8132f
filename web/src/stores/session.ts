import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { createApiClient, fetchSiteConfig, type ApiClient } from '../api/client';
import type { SiteConfig } from '../api/types';
import type { CognitoAuth } from '../auth/cognito-auth';
import { LocalAuth } from '../auth/local-auth';
import type { AuthProvider, SignedInUser } from '../auth/types';

/**
 * Who is signed in and how: reads /config.json, picks local or Cognito sign-in, and builds the API
 * client every other store uses, with the current ID token on each call.
 */
export const useSessionStore = defineStore('session', () => {
  const config = ref<SiteConfig>();
  const user = ref<SignedInUser>();
  const status = ref<'loading' | 'signedOut' | 'signedIn' | 'failed'>('loading');
  const loadError = ref<string>();
  const auth = shallowRef<AuthProvider>();
  const api = shallowRef<ApiClient>();
  let fetchFn: typeof fetch = (...args) => fetch(...args);

  const mode = computed(() => config.value?.auth.mode);
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

  async function signInCognito(email: string, password: string): Promise<void> {
    user.value = await cognito().signIn(email, password);
    status.value = 'signedIn';
  }

  function signOut(): void {
    auth.value?.signOut();
    user.value = undefined;
    status.value = 'signedOut';
  }

  /** The API client; only used once signed in. */
  function client(): ApiClient {
    if (!api.value) throw new Error('the session has not started');
    return api.value;
  }

  return { config, user, status, loadError, mode, model, start, signInLocal, signInCognito, cognito, signOut, client };
});
