import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

/**
 * Cognito stood in by moto_server (Python, on this machine image) on a random loopback port: a
 * user pool that signs in by email with SRP, as the stack makes it. moto checks no signature and
 * no SRP password proof, and sends no email: tests confirm users through the admin API.
 */
export interface MotoCognito {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  adminConfirm(email: string): Promise<void>;
  stop(): Promise<void>;
}

/** A moto_server of its own on a free loopback port, for any AWS API it imitates (Cognito, SSM, Secrets Manager...). */
export interface MotoServer {
  endpoint: string;
  stop: () => Promise<void>;
}

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.env.MOTO_SERVER ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  };
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

export async function startMotoCognito(): Promise<MotoCognito> {
  const { endpoint, stop } = await startMotoServer();
  try {
    const call = <T>(target: string, body: object): Promise<T> => cognitoAdminCall<T>(endpoint, target, body);
    const { UserPool } = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
      PoolName: 'chat-users',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    });
    const { UserPoolClient } = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
      UserPoolId: UserPool.Id,
      ClientName: 'web',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    return {
      endpoint,
      userPoolId: UserPool.Id,
      clientId: UserPoolClient.ClientId,
      adminConfirm: async (email) => {
        await call('AdminConfirmSignUp', { UserPoolId: UserPool.Id, Username: email });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error('moto_server exited: is it installed (pip install "moto[server]")?');
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('moto_server did not start in 10 s');
}

/** A call to the pool's API as `aws cognito-idp` makes it, for the admin's side of a test. */
export async function cognitoAdminCall<T>(endpoint: string, target: string, body: object): Promise<T> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
      // moto reads the region from the credential scope and checks nothing else.
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=test',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${target}: ${response.status} ${text}`);
  return JSON.parse(text || '{}') as T;
}
