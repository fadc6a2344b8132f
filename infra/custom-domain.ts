export interface CustomDomain {
  name: string;
  /** An ACM certificate in us-east-1, the only region CloudFront takes certificates from. */
  certificateArn: string;
}

/**
 * `chat:customDomain` and `chat:certificateArn`, which come together or not at all. A mistake is
 * said before anything is created, rather than by CloudFront halfway through an update.
 */
export function customDomainFrom(name: string | undefined, certificateArn: string | undefined): CustomDomain | undefined {
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) throw new Error('Set both chat:customDomain and chat:certificateArn (an ACM certificate in us-east-1), or neither.');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(name)) {
    throw new Error(`chat:customDomain must be a domain name such as chat.example.com; got ${name}.`);
  }
  if (!/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw new Error(`chat:certificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other); got ${certificateArn}.`);
  }
  return { name, certificateArn };
}
