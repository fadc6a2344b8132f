import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBedrockAccess } from '../../infra/deploy/checks/bedrock.js';
import { deployedModelModule, moduleModelInfo, type ModuleModelInfo } from '../../infra/model-module.js';
import { recordingMocks, type Registered } from '../support/pulumi-mocks.mjs';

const MODULE = 'test/fixtures/settings-model-module.ts';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-model-AbCdEf';

/** The secret a team keeps in Secrets Manager, as the provider's getSecretVersion returns it. */
const secretMocks = (registered: Registered[], secretString: string): pulumi.runtime.Mocks => {
  const mocks = recordingMocks(registered);
  return {
    ...mocks,
    call: (args) => (args.token === 'aws:secretsmanager/getSecretVersion:getSecretVersion' ? { ...args.inputs, secretString } : mocks.call(args)),
  };
};

/** `chat:modelModule` and its settings as the Pulumi program reads them from the stack config. */
function withConfig(settings: Record<string, unknown>): Promise<Awaited<ReturnType<typeof deployedModelModule>>> {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(settings).map(([key, value]) => [`chat:${key}`, typeof value === 'string' ? value : JSON.stringify(value)])));
  return deployedModelModule(new pulumi.Config('chat'), { bundleDir: join(mkdtempSync(join(tmpdir(), 'model-module-')), 'lambda'), region: 'eu-west-1' });
}

/** An output's value, or its failure: what `pulumi up` would report (Output's own promise, internal to the SDK). */
const valueOf = <T>(output: pulumi.Output<T>) => (output as unknown as { promise(): Promise<T> }).promise();

beforeAll(async () => {
  await pulumi.runtime.setMocks(secretMocks([], JSON.stringify({ SETTINGS_MODEL_API_KEY: 'from-secrets-manager', SETTINGS_MODEL_ID: 'acme-rotated' })), 'claude-serverless-chat', 'dev', false);
});

describe('chat:modelModule, read by the Pulumi program', () => {
  it('is nothing at all when unset', async () => {
    expect(await withConfig({})).toBeUndefined();
  });

  it('stops the deploy with one line naming the setting when the path is not a file of the repository', async () => {
    await expect(withConfig({ modelModule: 'examples/acme/missing-model.ts' })).rejects.toThrow(
      /^chat:modelModule: examples\/acme\/missing-model\.ts is not a file \(.*\/examples\/acme\/missing-model\.ts\); name a file in it/,
    );
    await expect(withConfig({ modelModule: '/etc/hostname' })).rejects.toThrow('chat:modelModule: /etc/hostname is outside the repository; name a file in it');
    await expect(withConfig({ modelModule: '../outside/model.ts' })).rejects.toThrow('chat:modelModule: ../outside/model.ts is not a file');
  });

  it('refuses settings that cannot apply: a title model the module does not make, two places for the settings, settings without a module', async () => {
    await expect(withConfig({ modelModule: MODULE, titleModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' })).rejects.toThrow(
      'chat:titleModelId is not used with chat:modelModule',
    );
    await expect(withConfig({ modelModule: MODULE, modelSettings: { A: 'b' }, modelSettingsSecretArn: SECRET_ARN })).rejects.toThrow(
      'chat:modelSettings and chat:modelSettingsSecretArn are both set',
    );
    await expect(withConfig({ modelSettings: { A: 'b' } })).rejects.toThrow('chat:modelSettings is for a model module: set chat:modelModule too');
    await expect(withConfig({ modelModule: MODULE, modelSettingsSecretArn: 'acme-model' })).rejects.toThrow(
      'chat:modelSettingsSecretArn must be a Secrets Manager secret\'s full ARN',
    );
    // The ARN without the six characters Secrets Manager adds: the role's grant would name no secret.
    await expect(withConfig({ modelModule: MODULE, modelSettingsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-model' })).rejects.toThrow(
      'chat:modelSettingsSecretArn must be a Secrets Manager secret\'s full ARN',
    );
  });

  it('builds the chat function with the module, and loads it with the settings of the team\'s own secret', async () => {
    const deployed = (await withConfig({ modelModule: MODULE, modelSettingsSecretArn: SECRET_ARN }))!;
    expect(readdirSync(deployed.chatCodeDir)).toEqual(expect.arrayContaining(['index.mjs', 'model-module.mjs']));
    expect(deployed.settingsSecretArn).toBe(SECRET_ARN);
    expect(deployed.settings).toBeUndefined();
    expect(await valueOf(deployed.info)).toEqual<ModuleModelInfo>({
      id: 'acme-rotated',
      contextWindowTokens: 16_000,
      pricing: { inputPerMTok: 0.25, outputPerMTok: 1.25 },
    });
  });

  it("stops the deploy with the loader's message when the module does not load", async () => {
    // No settings: the module throws for want of its key. (What the stack's output does with the same settings.)
    await expect(moduleModelInfo(MODULE, {})).rejects.toThrow(
      /^chat:modelModule: MODEL_PROVIDER=module:test\/fixtures\/settings-model-module\.ts \(.*\): its default export threw: SETTINGS_MODEL_API_KEY is not set$/,
    );
  });

  it('spares the deploy check its Bedrock call: the module is the model', async () => {
    const values = { 'chat:modelProvider': 'bedrock', 'chat:modelId': 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'chat:modelModule': MODULE };
    const result = await checkBedrockAccess({
      config: { stack: 'dev', values, usesPassphraseSecrets: false },
      region: 'eu-west-1',
      credentialsFound: true,
      env: {},
      converse: () => Promise.reject(new Error('no model call is expected')),
    });
    expect(result).toMatchObject({ status: 'skipped', detail: `not needed: the model is chat:modelModule's (${MODULE})` });
  });
});
