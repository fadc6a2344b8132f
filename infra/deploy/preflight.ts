import { checkAwsCredentials, checkRegion } from './checks/aws.js';
import { checkBedrockAccess, converseOnce, preflightBedrockClient } from './checks/bedrock.js';
import { missing, type CheckResult } from './checks/check-result.js';
import { accountConcurrency, checkLambdaConcurrency, preflightLambdaClient } from './checks/lambda.js';
import { checkPassphrase, checkPulumiCli, checkPulumiLogin, checkPulumiStack } from './checks/pulumi.js';
import { commandRunner } from './checks/run-command.js';
import { readStackConfig, requestedStack, type StackConfig } from './checks/stack-config.js';
import { exitCode, formatReport } from './report.js';

/**
 * `npm run deploy:check -- [--stack NAME] [--cwd DIR]`: says what is missing before
 * `pulumi up` creates anything: the Pulumi CLI, a backend login (and its passphrase), the stack
 * (the selected one unless another is named), AWS credentials and region, access to the
 * configured Bedrock model, and room in the account's Lambda concurrency for the chat function's
 * reservation. Exits 1 when something is.
 */
const TIMEOUT_MS = { command: 20_000, credentials: 10_000, bedrock: 30_000, lambda: 15_000 };

// The SDK's notice about future Node versions says nothing about this deploy; it would only bury the checklist.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const argv = process.argv.slice(2);
const env = process.env;
const projectDir = optionValue(argv, '--cwd') ?? process.cwd();

const results: CheckResult[] = [];
// Pulumi's update notice would add a network call and a paragraph to every check.
const run = commandRunner({ cwd: projectDir, env: { ...env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, timeoutMs: TIMEOUT_MS.command });

const cli = await checkPulumiCli(run);
const cliFound = cli.status === 'ok';
const login = await checkPulumiLogin(run, cliFound);
const selected = await checkPulumiStack(run, login.result.status === 'ok', requestedStack(argv, env));
// Without a stack to go by (no CLI, or none yet), the settings read are those `pulumi stack init dev` would use.
const stack = selected.stack ?? 'dev';
const config = loadConfig();
results.push(cli, login.result, selected.result, checkPassphrase({ env, backendUrl: login.backendUrl, cliFound, stackUsesPassphrase: config.usesPassphraseSecrets }));

const region = checkRegion(config, env);
const client = preflightBedrockClient(region.region, env);
const credentials = await checkAwsCredentials(() => client.config.credentials(), env, TIMEOUT_MS.credentials);
results.push(credentials.result, region.result);
results.push(
  await checkBedrockAccess({ config, region: region.region, credentialsFound: credentials.found, env, converse: converseOnce(client, TIMEOUT_MS.bedrock) }),
);
client.destroy();
const lambda = preflightLambdaClient(region.region);
results.push(
  await checkLambdaConcurrency({
    config,
    region: region.region,
    credentialsFound: credentials.found,
    stackDeployed: selected.deployed ?? false,
    env,
    read: accountConcurrency(lambda, TIMEOUT_MS.lambda),
  }),
);
lambda.destroy();

console.log(`Deploy preflight for stack ${stack} (${projectDir})\n`);
console.log(formatReport(results, stack));
process.exitCode = exitCode(results);

/** The stack's config; a file that cannot be read is reported, and the checks go on without it. */
function loadConfig(): StackConfig {
  try {
    return readStackConfig(projectDir, stack);
  } catch (error) {
    results.push(missing({ label: 'Stack config', name: 'a readable stack config' }, (error as Error).message, 'fix the YAML in that file'));
    return { stack, values: {}, usesPassphraseSecrets: false };
  }
}

function optionValue(args: readonly string[], option: string): string | undefined {
  const index = args.indexOf(option);
  return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith(`${option}=`))?.slice(option.length + 1);
}
