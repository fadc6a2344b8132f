import type { PreSignUpTriggerEvent } from 'aws-lambda';

/** What Cognito shows the person signing up when the guard refuses them. */
export const SIGN_UP_REFUSED = "Sign-up is by invitation only for this address's domain.";

/**
 * The domains of ALLOWED_EMAIL_DOMAINS (comma-separated), lower-cased; `@example.org` is taken as
 * `example.org`, so that a stray `@` does not lock everyone out.
 */
export function allowedDomainsFrom(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((domain) => domain.trim().replace(/^@/, '').toLowerCase())
    .filter((domain) => domain.length > 0);
}

/**
 * Cognito's pre-sign-up trigger: someone signing up themselves gets an account only with an email
 * address at one of the allowed domains, that very domain and none of its subdomains (a name that
 * only starts or ends like an allowed domain is another domain). An admin creating a user is
 * always let through: that is the invitation. An empty list lets nobody sign up themselves.
 */
export function createSignUpGuard(allowedDomains: readonly string[]) {
  const allowed = new Set(allowedDomains);
  return async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
    if (event.triggerSource === 'PreSignUp_AdminCreateUser') return event;
    const domain = domainOf(event.request.userAttributes.email);
    // Cognito turns a thrown error into the sign-up's refusal, with this message in it.
    if (domain === undefined || !allowed.has(domain)) throw new Error(SIGN_UP_REFUSED);
    return event;
  };
}

/** The part after the last `@` (a quoted local part may hold one too), lower-cased. */
function domainOf(email: string | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  if (!email || at <= 0) return undefined;
  return email.slice(at + 1).trim().toLowerCase() || undefined;
}
