import { GetParameterCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

/**
 * An SSM parameter's value, decrypted (a SecureString). Its own module, imported on demand
 * (model-settings.ts), so that the SSM client is loaded only by a function that reads one.
 */
export async function readParameter(name: string, client: SSMClientConfig): Promise<string | undefined> {
  const ssm = new SSMClient(client);
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return Parameter?.Value;
  } finally {
    ssm.destroy();
  }
}
