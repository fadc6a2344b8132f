import { ConfigError, type AppConfig } from '../config.js';
import { loadConfiguredModel } from './load-model-module.js';

type Env = Record<string, string | undefined>;

/**
 * Where a deployed model module's settings are kept, as the stack names them to the chat function:
 * the settings themselves (an API key...) are never in its environment, which anyone who may read
 * the function's configuration can see.
 */
export const MODEL_SETTINGS_VARIABLES = ['MODEL_SETTINGS_PARAMETER', 'MODEL_SETTINGS_SECRET_ARN'] as const;
export type ModelSettingsVariable = (typeof MODEL_SETTINGS_VARIABLES)[number];

/**
 * For a function configured with `MODEL_PROVIDER=module:<path>`: reads the module's settings where
 * the stack keeps them, then loads the module with the environment and those settings on top, as the
 * local server gives it its environment. Relative module paths are resolved from `cwd` (Lambda's task
 * root, where the bundle lies). Nothing is read or imported for a built-in provider.
 */
export async function loadModelModuleWithSettings(config: AppConfig, env: Env, cwd: string): Promise<void> {
  if (config.model.provider !== 'module') return;
  const settings = await readModelSettings(env);
  await loadConfiguredModel(config, { ...env, ...settings }, cwd);
}

/**
 * The settings of a model module: the JSON object of an SSM SecureString parameter
 * (`MODEL_SETTINGS_PARAMETER`, its name) and/or of a Secrets Manager secret's SecretString
 * (`MODEL_SETTINGS_SECRET_ARN`). Empty when neither is set. The SDK clients are imported only then,
 * so that a function with a built-in model loads neither at its cold start.
 */
export async function readModelSettings(env: Env): Promise<Record<string, string>> {
  const settings: Record<string, string> = {};
  const parameter = env.MODEL_SETTINGS_PARAMETER;
  if (parameter) Object.assign(settings, await fromParameter(parameter, env));
  const secretArn = env.MODEL_SETTINGS_SECRET_ARN;
  if (secretArn) Object.assign(settings, await fromSecret(secretArn, env));
  return settings;
}

// The readers are modules of their own, imported here only: a bundle then loads each SDK client
// only when it reads (a CommonJS package imported dynamically keeps no named exports once bundled).
async function fromParameter(name: string, env: Env): Promise<Record<string, string>> {
  const source = `MODEL_SETTINGS_PARAMETER=${name}`;
  const { readParameter } = await import('./settings-parameter.js');
  const text = await readParameter(name, clientSettings(env, env.AWS_ENDPOINT_URL_SSM)).catch((error: unknown) => {
    throw unreadable(source, error);
  });
  return settingsFrom(text, source);
}

async function fromSecret(arn: string, env: Env): Promise<Record<string, string>> {
  const source = `MODEL_SETTINGS_SECRET_ARN=${arn}`;
  const { readSecret } = await import('./settings-secret.js');
  const text = await readSecret(arn, clientSettings(env, env.AWS_ENDPOINT_URL_SECRETS_MANAGER)).catch((error: unknown) => {
    throw unreadable(source, error);
  });
  if (text === undefined) throw new ConfigError(`${source}: the secret has no SecretString (a binary secret); store the settings as a JSON object of strings.`);
  return settingsFrom(text, source);
}

/**
 * The region, and an endpoint override (a local stand-in) with the credentials beside it, read from
 * `env` as the rest of the configuration is; on AWS the SDK finds the function's role itself.
 */
function clientSettings(env: Env, endpoint: string | undefined) {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return {
    region: env.AWS_REGION ?? 'eu-west-1',
    ...(endpoint && { endpoint }),
    ...(endpoint && accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) } }),
  };
}

function unreadable(source: string, error: unknown): ConfigError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ConfigError(`${source}: the model settings could not be read (${reason}).`);
}

/**
 * A JSON object of strings, handed to the module as environment variables. The text itself is never
 * quoted in an error: it holds the settings' secrets.
 */
export function settingsFrom(text: string | undefined, source: string): Record<string, string> {
  const expected = 'a JSON object of strings, e.g. {"ACME_API_KEY": "…"}';
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new ConfigError(`${source}: the model settings are not JSON; expected ${expected}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${source}: the model settings are ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}; expected ${expected}.`);
  }
  const notStrings = Object.entries(value).filter(([, setting]) => typeof setting !== 'string');
  if (notStrings.length > 0) {
    const named = notStrings.map(([name, setting]) => `${name} is ${setting === null ? 'null' : Array.isArray(setting) ? 'an array' : `a ${typeof setting}`}`);
    throw new ConfigError(`${source}: every model setting must be a string (modules read them as environment variables): ${named.join(', ')}.`);
  }
  return value as Record<string, string>;
}
