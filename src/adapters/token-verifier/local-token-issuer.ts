import { createHash, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';

export interface LocalTokens {
  idToken: string;
  accessToken: string;
  expiresIn: number;
}

export interface LocalIssuerOptions {
  issuer: string;
  clientId: string;
  lifetimeSeconds: number;
  /** Usernames whose tokens carry `cognito:groups: ["admins"]`, as members of the Cognito group do on AWS. */
  admins?: readonly string[];
  /** The RSA key tokens are signed with (persistentSigningKey); none: a new one, gone with the process. */
  privateKey?: KeyObject;
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs RS256 tokens shaped like Cognito's for `npm start`, so that local sign-in goes through the
 * very same verification code as production. Never used on AWS. With a key from the data folder
 * a restart signs nobody out; without one (STORE=memory, where nothing else survives either) it
 * signs everybody out, nothing more.
 */
export class LocalTokenIssuer {
  private readonly privateKey: KeyObject;
  private readonly kid: string;
  /** Lower-cased: usernames name the same user whatever their case (see stableUserId). */
  private readonly admins: ReadonlySet<string>;
  readonly jwks: Jwks;

  constructor(private readonly options: LocalIssuerOptions) {
    this.admins = new Set((options.admins ?? []).map((name) => name.toLowerCase()));
    this.privateKey = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const publicKey = createPublicKey(this.privateKey);
    // Named after the key itself: the same key keeps the same id across restarts.
    this.kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 22);
    const jwk = publicKey.export({ format: 'jwk' });
    this.jwks = { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig', kty: 'RSA' }] };
  }

  get issuer(): string {
    return this.options.issuer;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  issue(username: string, now: Date = new Date()): LocalTokens {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.options.lifetimeSeconds;
    const sub = stableUserId(username);
    const common = { sub, iss: this.options.issuer, iat, exp, auth_time: iat, origin_jti: randomUUID() };
    const idToken = this.sign({
      ...common,
      aud: this.options.clientId,
      token_use: 'id',
      'cognito:username': username,
      email: localEmail(username),
      email_verified: true,
      // Cognito leaves the claim out for a user in no group.
      ...(this.admins.has(username.toLowerCase()) && { 'cognito:groups': ['admins'] }),
    });
    const accessToken = this.sign({
      ...common,
      client_id: this.options.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username,
      jti: randomUUID(),
    });
    return { idToken, accessToken, expiresIn: this.options.lifetimeSeconds };
  }

  private sign(payload: object): string {
    const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT', kid: this.kid })}.${base64url(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}

/** The same username always maps to the same user id, so local data survives new tokens. */
export function stableUserId(username: string): string {
  const name = username.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
  const hex = createHash('sha256').update(`local:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An email claim for a local name: the name itself when it is one, else a slug of it ("Élodie Martin": elodie.martin; "jo-ann": jo-ann). */
function localEmail(username: string): string {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(username)) return username;
  const slug = username
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._+-]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  return `${slug || 'user'}@local.invalid`;
}
