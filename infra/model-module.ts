import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { MODEL_MODULE_BUNDLE_NAME } from './build/lambda-bundle-options.js';
import { loadModelModule, type ModulePricing } from '../src/entrypoints/modules/load-model-module.js';
import { settingsFrom } from '../src/entrypoints/modules/model-settings.js';
import { PROJECT_ROOT } from './project-root.js';

/** What the chat function is told to load: the module bundled beside its index.mjs, in Lambda's task root. */
export const MODULE_PROVIDER = `module:./${MODEL_MODULE_BUNDLE_NAME}.mjs`;

/** The model a module makes, as `/config.json` shows it. */
export interface ModuleModelInfo {
  id: string;
  contextWindowTokens: number;
  pricing?: ModulePricing;
}

/** A team's model module as the stack deploys it (stack config `chat:modelModule`). */
export interface DeployedModelModule {
  /** The chat function's code: index.mjs and model-module.mjs, built by this program. */
  chatCodeDir: string;
  /** `chat:modelSettings`, a secret: the stack keeps it in an SSM SecureString parameter. */
  settings?: pulumi.Output<Record<string, string>>;
  /** `chat:modelSettingsSecretArn`: a Secrets Manager secret the team keeps (and rotates) itself. */
  settingsSecretArn?: string;
  /** The model the module makes with those settings, loaded here at deploy time. */
  info: pulumi.Output<ModuleModelInfo>;
}

/**
 * Reads `chat:modelModule` and its settings, builds the chat function with the module, and loads
 * the module once here, so that a module that does not load stops the deploy, not the first chat,
 * and `/config.json` names the model it makes. Undefined when the stack sets no module.
 */
export async function deployedModelModule(config: pulumi.Config, { bundleDir, region }: { bundleDir: string; region: string }): Promise<DeployedModelModule | undefined> {
  const configured = config.get('modelModule');
  if (configured === undefined) {
    // getSecret: reading a secret setting in plain text would make Pulumi warn about it.
    for (const key of ['modelSettings', 'modelSettingsSecretArn']) {
      if (config.getSecret(key) !== undefined) throw new Error(`chat:${key} is for a model module: set chat:modelModule too, or remove chat:${key}.`);
    }
    return undefined;
  }
  const modulePath = moduleFile(configured);
  const titleModelId = config.get('titleModelId');
  if (titleModelId !== undefined && titleModelId !== 'none') {
    // A module makes one model: naming conversations with another would need a second one it does not make.
    throw new Error('chat:titleModelId is not used with chat:modelModule (titles are the question\'s first words): remove it, or set it to none.');
  }
  const settings = config.getSecretObject<unknown>('modelSettings')?.apply((value) => settingsFrom(JSON.stringify(value), 'chat:modelSettings'));
  const settingsSecretArn = config.get('modelSettingsSecretArn');
  if (settings && settingsSecretArn) {
    throw new Error('chat:modelSettings and chat:modelSettingsSecretArn are both set: keep the module\'s settings in one place.');
  }
  // The whole ARN, with the six characters Secrets Manager adds to the name: the role is granted exactly it.
  if (settingsSecretArn !== undefined && !/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(settingsSecretArn)) {
    throw new Error(`chat:modelSettingsSecretArn must be a Secrets Manager secret's full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), not "${settingsSecretArn}".`);
  }

  const chatCodeDir = join(`${bundleDir}-module`, 'chat');
  const { bundleChatWithModelModule } = await import('./build/bundle-model-module.js');
  try {
    await bundleChatWithModelModule({ modulePath, outdir: chatCodeDir, mapsDir: join(`${bundleDir}-maps`, 'chat'), root: PROJECT_ROOT });
  } catch (error) {
    throw new Error(`chat:modelModule: ${configured} could not be bundled: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  // The deployer reads the secret as the function will, to load the module with the same settings.
  const secretSettings = settingsSecretArn
    ? aws.secretsmanager
        .getSecretVersionOutput({ secretId: settingsSecretArn })
        .secretString.apply((text) => settingsFrom(text, `chat:modelSettingsSecretArn=${settingsSecretArn}`))
    : undefined;
  // Lambda gives the function its region; the module may read it.
  const env = pulumi.output(settings ?? secretSettings ?? {}).apply((values) => ({ AWS_REGION: region, ...values }));
  const info = env.apply((moduleEnv) => moduleModelInfo(configured, moduleEnv));
  return {
    chatCodeDir,
    ...(settings && { settings }),
    ...(settingsSecretArn !== undefined && { settingsSecretArn }),
    // The model's id, window and prices are what every user sees in /config.json: not secrets.
    info: pulumi.unsecret(info),
  };
}

/** The model the module at `configured` makes with `env`; a module that does not load fails with the loader's message. */
export async function moduleModelInfo(configured: string, env: Record<string, string>): Promise<ModuleModelInfo> {
  const { model, pricing } = await loadModelModule(configured, env, PROJECT_ROOT).catch((error: unknown) => {
    throw new Error(`chat:modelModule: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  return { id: model.modelId, contextWindowTokens: model.limits.contextWindowTokens, ...(pricing && { pricing }) };
}

/** `chat:modelModule` as an absolute path, once it is known to be a file inside the repository. */
function moduleFile(configured: string): string {
  const file = resolve(PROJECT_ROOT, configured);
  const example = 'a file in it, relative to its root (e.g. examples/acme-model/acme-model.ts)';
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new Error(`chat:modelModule: ${configured} is not a file (${file}); name ${example}.`);
  }
  // Through links too: the bundle ships what the repository holds, and nothing from elsewhere on the machine.
  const inside = relative(realpathSync(PROJECT_ROOT), realpathSync(file));
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`chat:modelModule: ${configured} is outside the repository; name ${example}.`);
  }
  return file;
}
