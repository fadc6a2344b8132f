import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The stack's configuration as `pulumi up` would see it, without the CLI: plain values only. */
export interface StackConfig {
  /** The stack's short name, e.g. `dev` (its file is Pulumi.dev.yaml). */
  stack: string;
  /** `namespace:key` → value; secure values are left out (they need the CLI to decrypt). */
  values: Record<string, unknown>;
  /** The stack file carries a passphrase salt: its secrets need PULUMI_CONFIG_PASSPHRASE whatever the backend. */
  usesPassphraseSecrets: boolean;
}

/** The stack asked for: `--stack NAME` (or `--stack=NAME`), else PULUMI_STACK; undefined for neither. */
export function requestedStack(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  const index = argv.findIndex((arg) => arg === '--stack' || arg === '-s');
  const fromArg = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--stack='))?.slice('--stack='.length);
  const name = fromArg || env.PULUMI_STACK;
  // A fully qualified name (org/project/stack) keeps its config in Pulumi.<stack>.yaml all the same.
  return name ? name.split('/').pop() || undefined : undefined;
}

/**
 * Reads `config:` from Pulumi.yaml and Pulumi.<stack>.yaml in the project directory; the stack's
 * values override the project's, as Pulumi does. Pulumi.yaml may give a value plainly or as
 * `{ value }` / `{ default }`; stack files may hold `{ secure }` values, which are skipped.
 */
export function readStackConfig(projectDir: string, stack: string): StackConfig {
  const project = readYaml(join(projectDir, 'Pulumi.yaml'));
  const stackPath = join(projectDir, `Pulumi.${stack}.yaml`);
  const stackFile = readYaml(stackPath);
  return {
    stack,
    values: { ...plainValues(project?.config, true), ...plainValues(stackFile?.config, false) },
    usesPassphraseSecrets: typeof stackFile?.encryptionsalt === 'string',
  };
}

/** A string value of the config, or undefined when absent, empty or not a string. */
export function configString(config: StackConfig, key: string): string | undefined {
  const value = config.values[key];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

type YamlObject = Record<string, unknown>;

function readYaml(path: string): YamlObject | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = parse(readFileSync(path, 'utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch (error) {
    throw new Error(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

function plainValues(config: unknown, isProjectFile: boolean): YamlObject {
  if (!isObject(config)) return {};
  const values: YamlObject = {};
  for (const [key, raw] of Object.entries(config)) {
    if (!isObject(raw)) {
      values[key] = raw;
    } else if (isProjectFile && 'value' in raw) {
      values[key] = raw.value;
    } else if (isProjectFile && 'default' in raw) {
      values[key] = raw.default;
    } else if (!('secure' in raw)) {
      // An object value (structured config): kept as is; no check here reads one.
      values[key] = raw;
    }
  }
  return values;
}

const isObject = (value: unknown): value is YamlObject => typeof value === 'object' && value !== null && !Array.isArray(value);
