import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError } from '../api/client';
import type { SiteConfig } from '../api/types';
import type { AuthError, AuthFailureReason } from '../auth/types';
import { createAppI18n, type Locale } from '../i18n';
import { useSessionStore } from '../stores/session';
import SignInView from './SignInView.vue';

const cognito = (selfSignUp?: boolean): SiteConfig => ({
  apiUrl: '/api',
  auth: { mode: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_pool', clientId: 'client', ...(selfSignUp !== undefined && { selfSignUp }) },
});

async function mountSignIn(config: SiteConfig, locale: Locale = 'en') {
  const session = useSessionStore();
  session.config = config;
  session.status = 'signedOut';
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<p/>' } }, { path: '/sign-in', component: SignInView }] });
  await router.push('/sign-in');
  const view = mount(SignInView, { global: { plugins: [createAppI18n(locale), router] }, attachTo: document.body });
  await flushPromises();
  return { view, session, router };
}

/** What CognitoAuth rejects with. */
const refusal = (message: string, reason: AuthFailureReason, code?: string): AuthError => Object.assign(new Error(message), { reason, code });

const buttons = (view: Awaited<ReturnType<typeof mountSignIn>>['view']) => view.findAll('button').map((button) => button.text());

describe('SignInView', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('offers sign-up when the pool allows it, and stacks that do not say did', async () => {
    for (const config of [cognito(true), cognito()]) {
      const { view } = await mountSignIn(config);
      expect(buttons(view)).toContain('Create an account');
      expect(view.text()).not.toContain('Ask an admin for an invitation');
      view.unmount();
    }
  });

  it('points to an admin on an invite-only pool, in the user’s language', async () => {
    const { view } = await mountSignIn(cognito(false));
    expect(buttons(view)).not.toContain('Create an account');
    expect(view.text()).toContain('No account yet? Ask an admin for an invitation.');
    expect(buttons(view)).toContain('Forgot password?');
    view.unmount();
    const { view: french } = await mountSignIn(cognito(false), 'fr');
    expect(french.text()).toContain('Demandez une invitation à un administrateur.');
    expect(french.text()).not.toContain('Créer un compte');
  });

  it('says why a sign-up was refused, not “wrong password”', async () => {
    const { view, session } = await mountSignIn(cognito(true));
    session.cognito = () => ({ signUp: async () => Promise.reject(refusal('Sign-up is by invitation only.', 'signUpClosed', 'NotAuthorizedException')) }) as never;
    await view.findAll('button').find((button) => button.text() === 'Create an account')!.trigger('click');
    await view.get('input[type=email]').setValue('eve@example.com');
    await view.get('input[type=password]').setValue('Long-Enough-Pass-1');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('[role=alert]').text()).toBe('Accounts here are by invitation only. Ask an admin for an invitation.');
  });

  it('has an invited user choose a password, checked before it goes to Cognito', async () => {
    const { view, session, router } = await mountSignIn(cognito(false));
    session.signInCognito = vi.fn(async () => 'newPasswordRequired' as const);
    const completeNewPassword = vi.fn(async () => {
      session.status = 'signedIn';
    });
    session.completeNewPassword = completeNewPassword;
    await view.get('input[type=email]').setValue('ivy@example.com');
    await view.get('input[type=password]').setValue('Temp-Pass-1234');
    await view.get('form').trigger('submit');
    await flushPromises();

    expect(view.get('h1').text()).toBe('Choose your password');
    expect(view.text()).toContain('Choose your own password for ivy@example.com');
    const [first, second] = view.findAll<HTMLInputElement>('input[type=password]');
    // Empty, not the temporary password; the keyboard lands in the first field.
    expect(first!.element.value).toBe('');
    expect(document.activeElement).toBe(first!.element);
    expect(first!.attributes('autocomplete')).toBe('new-password');
    expect(first!.attributes('aria-describedby')).toBe('password-policy');
    expect(view.get('#password-policy').text()).toContain('At least 12 characters');

    await first!.setValue('too-weak');
    await second!.setValue('too-weak');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('[role=alert]').text()).toContain('This password is too weak');
    await first!.setValue('Brand-New-Pass-9');
    await second!.setValue('Brand-New-Pass-8');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('[role=alert]').text()).toBe('The two passwords are not the same.');
    expect(completeNewPassword).not.toHaveBeenCalled();

    await second!.setValue('Brand-New-Pass-9');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(completeNewPassword).toHaveBeenCalledWith('Brand-New-Pass-9');
    expect(router.currentRoute.value.path).toBe('/');
  });

  it('goes back to sign-in when the new-password step has expired', async () => {
    const { view, session } = await mountSignIn(cognito(false), 'fr');
    session.signInCognito = vi.fn(async () => 'newPasswordRequired' as const);
    session.completeNewPassword = vi.fn(async () => Promise.reject(refusal('late', 'challengeExpired')));
    await view.get('input[type=email]').setValue('ivy@example.com');
    await view.get('input[type=password]').setValue('Temp-Pass-1234');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('h1').text()).toBe('Choisissez votre mot de passe');
    for (const input of view.findAll('input[type=password]')) await input.setValue('Brand-New-Pass-9');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('h1').text()).toBe('Connexion');
    expect(view.get('[role=alert]').text()).toBe('Le délai est dépassé. Reconnectez-vous avec le mot de passe temporaire.');
  });

  it('says a session has ended, offers the same name again, and words the server’s refusals in the user’s language', async () => {
    const session = useSessionStore();
    session.endedUser = { name: 'Ada Lovelace' };
    session.ended = true;
    const { view } = await mountSignIn({ apiUrl: '/api', auth: { mode: 'local' } }, 'fr');
    expect(view.get('[role=status]').text()).toBe('Votre session a pris fin. Reconnectez-vous.');
    expect(view.get<HTMLInputElement>('input[name=name]').element.value).toBe('Ada Lovelace');

    session.signInLocal = vi.fn(async () => Promise.reject(new ApiError(503, 'STARTING', 'The server is starting. Try again in a moment.')));
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(view.get('[role=alert]').text()).toBe('Le serveur démarre. Réessayez dans un instant.');
  });
});
