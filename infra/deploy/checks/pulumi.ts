import { existsSync } from 'node:fs';
import { missing, ok, skipped, type CheckItem, type CheckResult, type Env } from './check-result.js';
import { firstLine, type RunCommand } from './run-command.js';

export const PULUMI_CLI: CheckItem = { label: 'Pulumi CLI', name: 'the Pulumi CLI' };
export const PULUMI_LOGIN: CheckItem = { label: 'Pulumi backend login', name: 'a Pulumi backend login' };
export const PULUMI_PASSPHRASE: CheckItem = { label: 'Pulumi passphrase', name: 'PULUMI_CONFIG_PASSPHRASE' };

const INSTALL_FIX = 'install it from https://www.pulumi.com/docs/install/ (Linux/macOS: `curl -fsSL https://get.pulumi.com | sh`), then open a new terminal';
const LOGIN_FIX = 'run `pulumi login` (Pulumi Cloud) or `pulumi login --local` (state kept in ~/.pulumi on this machine, secrets need PULUMI_CONFIG_PASSPHRASE)';
const PASSPHRASE_FIX = "export PULUMI_CONFIG_PASSPHRASE='a passphrase you keep safe' (the same one every time: it cannot be recovered)";

/** `pulumi version`: the CLI is on PATH and runs. */
export async function checkPulumiCli(run: RunCommand): Promise<CheckResult> {
  const result = await run('pulumi', ['version']);
  if (result.notFound) return missing(PULUMI_CLI, 'not found on PATH', INSTALL_FIX);
  if (result.exitCode !== 0) {
    const why = result.timedOut ? 'did not answer in time' : firstLine(result.stderr) || `exited with ${result.exitCode}`;
    return missing(PULUMI_CLI, `\`pulumi version\` failed: ${why}`, 'reinstall it from https://www.pulumi.com/docs/install/');
  }
  return ok(PULUMI_CLI, firstLine(result.stdout) || 'found');
}

export interface LoginCheck {
  result: CheckResult;
  /** The backend's URL, e.g. `https://app.pulumi.com/someone` or `file://~`, when logged in. */
  backendUrl?: string;
}

/**
 * `pulumi whoami --verbose`: logged in to a backend, and which one. Its text is read rather than
 * JSON because the JSON flag has changed across CLI versions, while the `Backend URL:` line has
 * stayed.
 */
export async function checkPulumiLogin(run: RunCommand, cliFound: boolean): Promise<LoginCheck> {
  if (!cliFound) return { result: skipped(PULUMI_LOGIN, 'not checked: needs the Pulumi CLI') };
  const whoami = await run('pulumi', ['whoami', '--verbose', '--non-interactive']);
  if (whoami.exitCode !== 0) {
    const why = whoami.timedOut ? '`pulumi whoami` did not answer in time' : firstLine(whoami.stderr) || 'not logged in';
    return { result: missing(PULUMI_LOGIN, why, LOGIN_FIX) };
  }
  const user = /^User:\s*(.+)$/m.exec(whoami.stdout)?.[1]?.trim() || firstLine(whoami.stdout) || 'logged in';
  const backendUrl = /^Backend URL:\s*(\S+)/m.exec(whoami.stdout)?.[1];
  return { result: ok(PULUMI_LOGIN, backendUrl ? `${user} on ${backendUrl}` : user), backendUrl };
}

/**
 * A local (file://) backend encrypts the stack's secrets with a passphrase, which `pulumi up`
 * reads from PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE; without either it stops
 * (or prompts, which `npm run deploy` cannot be relied on to answer). So does any stack created
 * with the passphrase secrets provider, which its stack file shows with an `encryptionsalt`.
 */
export function checkPassphrase(options: { env: Env; backendUrl: string | undefined; cliFound: boolean; stackUsesPassphrase: boolean }): CheckResult {
  const { env } = options;
  const backendUrl = options.backendUrl ?? env.PULUMI_BACKEND_URL;
  const localBackend = backendUrl?.startsWith('file://') ?? false;
  if (!localBackend && !options.stackUsesPassphrase) {
    if (!backendUrl) return skipped(PULUMI_PASSPHRASE, `not checked: needs ${options.cliFound ? 'a backend login' : 'the Pulumi CLI'}`);
    return skipped(PULUMI_PASSPHRASE, `not needed: ${backendUrl} keeps the stack's secrets`);
  }
  const needer = localBackend ? `the local backend (${backendUrl})` : 'the stack (its Pulumi.<stack>.yaml has an encryptionsalt)';
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return ok(PULUMI_PASSPHRASE, `PULUMI_CONFIG_PASSPHRASE is set, as ${needer} needs`);
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file && existsSync(file)) return ok(PULUMI_PASSPHRASE, `PULUMI_CONFIG_PASSPHRASE_FILE is set, as ${needer} needs`);
  const detail = file
    ? `PULUMI_CONFIG_PASSPHRASE_FILE points at ${file}, which does not exist`
    : `${needer} encrypts secrets with a passphrase, and PULUMI_CONFIG_PASSPHRASE is not set`;
  return missing(PULUMI_PASSPHRASE, detail, PASSPHRASE_FIX);
}

export const PULUMI_STACK: CheckItem = { label: 'Pulumi stack', name: 'a Pulumi stack' };

export interface StackCheck {
  result: CheckResult;
  /** The stack whose config the other checks read: the one asked for, else the selected one. */
  stack?: string;
  /** It holds resources from an earlier `pulumi up` (its `resourceCount`): a redeploy, not a first deploy. */
  deployed?: boolean;
}

/**
 * `pulumi stack ls --json`: the stack asked for (`--stack`, PULUMI_STACK) exists, or, when none
 * is asked for, one is selected, as `pulumi up` (which `npm run deploy` runs) deploys that one.
 */
export async function checkPulumiStack(run: RunCommand, loggedIn: boolean, requested: string | undefined): Promise<StackCheck> {
  if (!loggedIn) return { result: skipped(PULUMI_STACK, 'not checked: needs a backend login'), ...(requested && { stack: requested }) };
  const listed = await run('pulumi', ['stack', 'ls', '--json', '--non-interactive']);
  if (listed.exitCode !== 0) return { result: missing(PULUMI_STACK, firstLine(listed.stderr) || '`pulumi stack ls` failed', 'run it yourself to see why') };
  let stacks: Array<{ name: string; current?: boolean; resourceCount?: number }>;
  try {
    stacks = JSON.parse(listed.stdout) as typeof stacks;
  } catch {
    return { result: missing(PULUMI_STACK, '`pulumi stack ls --json` answered something other than JSON', 'run it yourself to see why') };
  }
  // A Pulumi Cloud stack is listed as org/project/stack; its config file is Pulumi.<stack>.yaml all the same.
  const shortName = (name: string) => name.split('/').pop() ?? name;
  const deployed = (stack: (typeof stacks)[number]) => (stack.resourceCount ?? 0) > 0;
  if (requested) {
    const found = stacks.find((stack) => shortName(stack.name) === requested);
    return found
      ? { result: ok(PULUMI_STACK, `${requested} exists`), stack: requested, deployed: deployed(found) }
      : { result: missing(PULUMI_STACK, `no stack named ${requested}`, `run \`pulumi stack init ${requested}\``), stack: requested };
  }
  const current = stacks.find((stack) => stack.current);
  if (current) return { result: ok(PULUMI_STACK, `${shortName(current.name)} is selected`), stack: shortName(current.name), deployed: deployed(current) };
  if (stacks.length === 0) return { result: missing(PULUMI_STACK, 'no stack yet', 'run `pulumi stack init dev` (its settings are in Pulumi.dev.yaml)') };
  const names = stacks.map((stack) => shortName(stack.name)).join(', ');
  return { result: missing(PULUMI_STACK, `none selected (there are: ${names})`, 'run `pulumi stack select <name>`') };
}
