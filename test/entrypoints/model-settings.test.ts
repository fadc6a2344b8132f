import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/entrypoints/config.js';
import { readModelSettings } from '../../src/entrypoints/modules/model-settings.js';
import { startMotoServer, type MotoServer } from '../support/moto-cognito.js';

/**
 * Where the chat function reads a model module's settings at init: an SSM SecureString parameter
 * (what the stack makes of chat:modelSettings) or a Secrets Manager secret (chat:modelSettingsSecretArn),
 * here in moto_server as the SDK would find them on AWS.
 */
let moto: MotoServer;
let env: Record<string, string>;
let ssm: SSMClient;
let secrets: SecretsManagerClient;
let count = 0;

beforeAll(async () => {
  moto = await startMotoServer();
  env = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'moto',
    AWS_SECRET_ACCESS_KEY: 'moto',
    AWS_ENDPOINT_URL_SSM: moto.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
  };
  const client = { region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } };
  ssm = new SSMClient(client);
  secrets = new SecretsManagerClient(client);
}, 30_000);
afterAll(async () => {
  ssm?.destroy();
  secrets?.destroy();
  await moto?.stop();
});

async function parameterHolding(value: string): Promise<string> {
  const name = `/chat/model-settings-${++count}`;
  await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: value }));
  return name;
}

async function secretHolding(value: string): Promise<string> {
  const { ARN } = await secrets.send(new CreateSecretCommand({ Name: `acme-model-${++count}`, SecretString: value }));
  return ARN!;
}

describe('a model module’s settings, read at init', () => {
  it('reads the JSON object of an SSM SecureString parameter, decrypted', async () => {
    const name = await parameterHolding(JSON.stringify({ ACME_API_KEY: 'k-123', ACME_BASE_URL: 'https://acme.example/v1' }));
    expect(await readModelSettings({ ...env, MODEL_SETTINGS_PARAMETER: name })).toEqual({ ACME_API_KEY: 'k-123', ACME_BASE_URL: 'https://acme.example/v1' });
  });

  it('reads the SecretString of a Secrets Manager secret', async () => {
    const arn = await secretHolding(JSON.stringify({ ACME_API_KEY: 'rotated-key' }));
    expect(await readModelSettings({ ...env, MODEL_SETTINGS_SECRET_ARN: arn })).toEqual({ ACME_API_KEY: 'rotated-key' });
  });

  it('reads nothing when neither is set', async () => {
    expect(await readModelSettings(env)).toEqual({});
  });

  it('fails with one clear line naming the variable for a missing parameter or secret', async () => {
    const missing = readModelSettings({ ...env, MODEL_SETTINGS_PARAMETER: '/chat/nothing-here' });
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(/^MODEL_SETTINGS_PARAMETER=\/chat\/nothing-here: the model settings could not be read \(ParameterNotFound/);
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone-AbCdEf';
    await expect(readModelSettings({ ...env, MODEL_SETTINGS_SECRET_ARN: arn })).rejects.toThrow(
      `MODEL_SETTINGS_SECRET_ARN=${arn}: the model settings could not be read (ResourceNotFoundException`,
    );
  });

  it('refuses what is not a JSON object of strings, without quoting the value (it holds secrets)', async () => {
    const cases: Array<[string, RegExp]> = [
      ['ACME_API_KEY=k-not-json', /the model settings are not JSON; expected a JSON object of strings/],
      ['["k-in-an-array"]', /the model settings are an array; expected a JSON object of strings/],
      ['"k-a-string"', /the model settings are a string; expected/],
      [JSON.stringify({ ACME_API_KEY: 'k-ok', ACME_TIMEOUT: 30, ACME_FLAGS: ['k-flag'] }), /every model setting must be a string .*: ACME_TIMEOUT is a number, ACME_FLAGS is an array\.$/],
    ];
    for (const [value, problem] of cases) {
      const name = await parameterHolding(value);
      const error = await readModelSettings({ ...env, MODEL_SETTINGS_PARAMETER: name }).catch((caught: unknown) => caught as Error);
      expect(error, value).toBeInstanceOf(ConfigError);
      expect(error.message, value).toMatch(new RegExp(`^MODEL_SETTINGS_PARAMETER=${name}: `));
      expect(error.message, value).toMatch(problem);
      expect(error.message, value).not.toMatch(/k-/);
    }
  });
});
