import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { bundledFunction, type BundleSettings } from './bundled-function.js';

/**
 * The group whose members the usage routes let see everyone's spending and set limits, read from
 * the ID token's `cognito:groups` (the handler's own constant is not imported: it would load the
 * whole HTTP layer into the program; stack.test.ts checks that the two agree).
 */
const ADMINS_GROUP = 'admins';
/** How long an invitation's temporary password works. */
const TEMPORARY_PASSWORD_DAYS = 3;

export interface AuthArgs {
  /** Anyone may sign up. Off (and no allowed domains): invitation only, admins create the users. */
  selfSignUp: boolean;
  /**
   * People with an email address at one of these domains may sign up themselves, nobody else
   * (a pre-sign-up trigger checks): self sign-up is on for them whatever `selfSignUp` says.
   */
  allowedEmailDomains: string[];
  /** The site's address when it is known before the deploy (a custom domain), for the invitation email. */
  siteUrl?: string;
  /** Where the sign-up guard's bundle is, and how long its logs are kept. */
  bundles: BundleSettings;
  /** ID and access token lifetime (60 minutes by default: an hour of chat before a silent refresh). */
  tokenLifetimeMinutes: number;
  refreshTokenLifetimeDays: number;
  mfa: 'OFF' | 'OPTIONAL';
  /** A dev stack: `pulumi destroy` may delete the pool and its users. */
  forceDestroy: boolean;
}

/**
 * Users: a Cognito user pool with email sign-in and verification, its `admins` group, and a public
 * app client (no secret: it lives in the browser) that allows SRP sign-in and refresh only. Who
 * may get an account: whoever an admin invites, and, when domains are allowed, people signing up
 * with an address at one of them.
 */
export class Auth extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;
  readonly admins: aws.cognito.UserGroup;
  /**
   * Cognito's pre-sign-up trigger, when domains are allowed. Not under the error-rate alarm: every
   * refusal is an error by design.
   */
  readonly signUpGuard?: aws.lambda.Function;

  constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Auth', name, {}, opts);
    const domainsOnly = args.allowedEmailDomains.length > 0;
    // It reads only its list: nothing of the pool, which needs its ARN first.
    this.signUpGuard = domainsOnly
      ? bundledFunction(
          `${name}-sign-up-guard`,
          { bundle: 'sign-up-guard', timeoutSeconds: 5, memoryMb: 128, grants: [] },
          args.bundles,
          { ALLOWED_EMAIL_DOMAINS: args.allowedEmailDomains.join(',') },
          this,
        )
      : undefined;
    this.userPool = new aws.cognito.UserPool(
      `${name}-users`,
      {
        usernameAttributes: ['email'],
        autoVerifiedAttributes: ['email'],
        usernameConfiguration: { caseSensitive: false },
        passwordPolicy: {
          minimumLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: false,
          temporaryPasswordValidityDays: TEMPORARY_PASSWORD_DAYS,
        },
        mfaConfiguration: args.mfa,
        ...(args.mfa !== 'OFF' && { softwareTokenMfaConfiguration: { enabled: true } }),
        adminCreateUserConfig: {
          allowAdminCreateUserOnly: !(args.selfSignUp || domainsOnly),
          inviteMessageTemplate: {
            emailSubject: 'Your invitation to Claude Serverless Chat',
            emailMessage: invitation(args.siteUrl),
          },
        },
        ...(this.signUpGuard && { lambdaConfig: { preSignUp: this.signUpGuard.arn } }),
        accountRecoverySetting: { recoveryMechanisms: [{ name: 'verified_email', priority: 1 }] },
        verificationMessageTemplate: { defaultEmailOption: 'CONFIRM_WITH_CODE' },
        deletionProtection: args.forceDestroy ? 'INACTIVE' : 'ACTIVE',
      },
      { parent: this },
    );
    if (this.signUpGuard) {
      // A resource of its own, so that the pool can name the function and the permission the pool.
      new aws.lambda.Permission(
        `${name}-sign-up-guard-invoke`,
        { action: 'lambda:InvokeFunction', function: this.signUpGuard.name, principal: 'cognito-idp.amazonaws.com', sourceArn: this.userPool.arn },
        { parent: this },
      );
    }
    this.admins = new aws.cognito.UserGroup(
      `${name}-admins`,
      { userPoolId: this.userPool.id, name: ADMINS_GROUP, description: "See everyone's usage and set their monthly limits" },
      { parent: this },
    );
    this.client = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        userPoolId: this.userPool.id,
        generateSecret: false,
        explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
        idTokenValidity: args.tokenLifetimeMinutes,
        accessTokenValidity: args.tokenLifetimeMinutes,
        refreshTokenValidity: args.refreshTokenLifetimeDays,
        tokenValidityUnits: { idToken: 'minutes', accessToken: 'minutes', refreshToken: 'days' },
      },
      { parent: this },
    );
    this.registerOutputs({ userPoolId: this.userPool.id, clientId: this.client.id });
  }
}

/**
 * The email an invited user gets from Cognito, which fills in {username} (their address) and
 * {####} (the temporary password).
 */
function invitation(siteUrl: string | undefined): string {
  const where = siteUrl ? `at ${siteUrl}` : 'on the chat site';
  return (
    `You have been invited to Claude Serverless Chat. Sign in ${where} with your email address {username} ` +
    `and the temporary password {####} within ${TEMPORARY_PASSWORD_DAYS} days; you will then choose a password of your own.`
  );
}
