import { allowedDomainsFrom, createSignUpGuard } from '../handlers/sign-up-guard.js';

// Cognito's pre-sign-up trigger reads only its list of domains: none of the app's configuration.
export const handler = createSignUpGuard(allowedDomainsFrom(process.env.ALLOWED_EMAIL_DOMAINS));
