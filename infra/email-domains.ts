const DOMAIN_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * `chat:allowedEmailDomains`: domain names, `example.org` (a leading `@` is dropped). A mistyped
 * entry would refuse everyone at the domain meant, so it is said before anything is deployed.
 */
export function allowedEmailDomainsFrom(value: string[] | undefined): string[] {
  const domains = (value ?? []).map((entry) => String(entry).trim().replace(/^@/, '').toLowerCase());
  const wrong = domains.filter((domain) => !DOMAIN_NAME.test(domain));
  if (wrong.length > 0) {
    throw new Error(`chat:allowedEmailDomains must list domain names such as ["example.org"]; not ${wrong.map((domain) => JSON.stringify(domain)).join(', ')}.`);
  }
  return domains;
}
