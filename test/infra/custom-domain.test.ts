import { describe, expect, it } from 'vitest';
import { customDomainFrom } from '../../infra/custom-domain.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0d1e2f3a-4b5c';

describe('chat:customDomain and chat:certificateArn', () => {
  it('are optional together', () => {
    expect(customDomainFrom(undefined, undefined)).toBeUndefined();
    expect(customDomainFrom('chat.example.com', CERTIFICATE)).toEqual({ name: 'chat.example.com', certificateArn: CERTIFICATE });
  });

  it('refuse one without the other, a certificate outside us-east-1, or a name that is not a domain', () => {
    expect(() => customDomainFrom('chat.example.com', undefined)).toThrow(/both chat:customDomain and chat:certificateArn/);
    expect(() => customDomainFrom(undefined, CERTIFICATE)).toThrow(/both/);
    expect(() => customDomainFrom('chat.example.com', CERTIFICATE.replace('us-east-1', 'eu-west-1'))).toThrow(/us-east-1/);
    expect(() => customDomainFrom('https://chat.example.com', CERTIFICATE)).toThrow(/domain name/);
  });
});
