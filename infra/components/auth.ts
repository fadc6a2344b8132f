import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AuthArgs {
  selfSignUp: boolean;
  /** ID and access token lifetime (the seed's 60 minutes). */
  tokenLifetimeMinutes: number;
  refreshTokenLifetimeDays: number;
  mfa: 'OFF' | 'OPTIONAL';
  /** A dev stack: `pulumi destroy` may delete the pool and its users. */
  forceDestroy: boolean;
}

/**
 * Users: a Cognito user pool with email sign-in and verification, and a public app client (no
 * secret: it lives in the browser) that allows SRP sign-in and refresh only.
 */
export class Auth extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;

  constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Auth', name, {}, opts);
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
          temporaryPasswordValidityDays: 3,
        },
        mfaConfiguration: args.mfa,
        ...(args.mfa !== 'OFF' && { softwareTokenMfaConfiguration: { enabled: true } }),
        adminCreateUserConfig: { allowAdminCreateUserOnly: !args.selfSignUp },
        accountRecoverySetting: { recoveryMechanisms: [{ name: 'verified_email', priority: 1 }] },
        verificationMessageTemplate: { defaultEmailOption: 'CONFIRM_WITH_CODE' },
        deletionProtection: args.forceDestroy ? 'INACTIVE' : 'ACTIVE',
      },
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
