import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';
import { pricing as fixturePricing } from '../fixtures/settings-model-module.js';

/** How a secret input reaches the engine (and the mocks' record): { [SIG_KEY]: SECRET_SIGNATURE, value }. */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIGNATURE = '1b47061264138c4ac30d75fd1eb44270';
const API_KEY = 'acme-key-that-must-stay-secret-0042';
const MODULE = 'test/fixtures/settings-model-module.ts';

let registered: Registered[] = [];
const named = (type: string, name: string) => {
  const found = registered.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found.inputs;
};
const chatFunction = () => named('aws:lambda/function:Function', 'chat-chat');
const variablesOf = (inputs: Record<string, unknown>) => (inputs.environment as { variables: Record<string, string> }).variables;

/** Whether `text` appears anywhere in `value` outside a secret. */
function inPlainText(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.includes(text);
  if (Array.isArray(value)) return value.some((item) => inPlainText(item, text));
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<string, unknown>)[SIG_KEY] === SECRET_SIGNATURE) return false;
  return Object.values(value).some((item) => inPlainText(item, text));
}

beforeAll(async () => {
  registered = await runStackWithMocks({
    config: {
      'chat:modelModule': MODULE,
      'chat:modelSettings': { SETTINGS_MODEL_API_KEY: API_KEY, SETTINGS_MODEL_ID: 'acme-large', SETTINGS_MODEL_CONTEXT_WINDOW: '64000' },
    },
  });
}, 120_000);

describe('the stack with a model module (chat:modelModule)', () => {
  it('deploys the chat function built with the module beside its entry', async () => {
    const code = chatFunction().code as { path: string | Promise<string> };
    const files = readdirSync(await code.path);
    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'model-module.mjs']));
    // Shared code (the domain's DomainError among it) is in chunks both entries import; no source map ships.
    expect(files.some((file) => /^chunk-.*\.mjs$/.test(file))).toBe(true);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('tells the function to load the module, and where its settings are: never the settings themselves', () => {
    const variables = variablesOf(chatFunction());
    expect(variables).toMatchObject({ MODEL_PROVIDER: 'module:./model-module.mjs', TITLE_MODEL_ID: 'none' });
    // The parameter's name (the mocks name each resource after itself).
    expect(variables.MODEL_SETTINGS_PARAMETER).toBe('chat-model-settings');
    // The module prices its answers itself: the stack sets no price over it, and no Bedrock model.
    expect(variables).not.toHaveProperty('MODEL_PRICE_INPUT_PER_MTOK');
    expect(variables).not.toHaveProperty('MODEL_ID');
  });

  it('keeps the settings in an SSM SecureString parameter, a secret in the stack, and nowhere else', () => {
    const parameter = named('aws:ssm/parameter:Parameter', 'chat-model-settings');
    expect(parameter).toMatchObject({ type: 'SecureString', tier: 'Standard' });
    const value = parameter.value as { value: string };
    expect(value).toMatchObject({ [SIG_KEY]: SECRET_SIGNATURE });
    expect(JSON.parse(value.value)).toMatchObject({ SETTINGS_MODEL_API_KEY: API_KEY });
    const plain = registered.filter((resource) => inPlainText(resource.inputs, API_KEY)).map((resource) => resource.name);
    expect(plain).toEqual([]);
    // The test would see the key if it were anywhere: the parameter holds it, in its secret.
    expect(registered.filter((resource) => JSON.stringify(resource.inputs).includes(API_KEY)).map((resource) => resource.name)).toEqual(['chat-model-settings']);
  });

  it('lets the chat role read that one parameter, and invoke no Bedrock model', () => {
    const policy = JSON.parse(named('aws:iam/rolePolicy:RolePolicy', 'chat-chat-policy').policy as string) as {
      Statement: Array<{ Action: string[]; Resource: string[] }>;
    };
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.startsWith('bedrock:'))).toEqual([]);
    const ssm = policy.Statement.filter((statement) => statement.Action.some((action) => action.startsWith('ssm:')));
    expect(ssm).toEqual([{ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [expect.stringMatching(/chat-model-settings$/)] }]);
    // Only the chat function reads the settings.
    for (const other of ['conversations', 'files', 'file-processor', 'usage', 'health']) {
      expect(named('aws:iam/rolePolicy:RolePolicy', `chat-${other}-policy`).policy as string).not.toContain('ssm:');
      expect(variablesOf(named('aws:lambda/function:Function', `chat-${other}`))).not.toHaveProperty('MODEL_SETTINGS_PARAMETER');
    }
  });

  it("shows in /config.json the model the module makes with those settings, and the module's prices", () => {
    const configJson = registered.find((resource) => resource.type === 'aws:s3/bucketObjectv2:BucketObjectv2' && resource.name.endsWith('config-json'))!;
    const site = JSON.parse(configJson.inputs.content as string) as { model: unknown };
    expect(site.model).toEqual({ id: 'acme-large', contextWindowTokens: 64_000, pricing: { ...fixturePricing, currency: 'USD' } });
  });
});
