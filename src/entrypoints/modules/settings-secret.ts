import { GetSecretValueCommand, SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/**
 * A Secrets Manager secret's SecretString (undefined for a binary secret). Its own module, imported
 * on demand (model-settings.ts), so that the client is loaded only by a function that reads one.
 */
export async function readSecret(arn: string, client: SecretsManagerClientConfig): Promise<string | undefined> {
  const secrets = new SecretsManagerClient(client);
  try {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    return SecretString;
  } finally {
    secrets.destroy();
  }
}
