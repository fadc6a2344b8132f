import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { Registered } from './pulumi-mocks.mjs';

const CHILD = fileURLToPath(new URL('./pulumi-language-host-child.mjs', import.meta.url));

interface ProjectFile {
  name: string;
  main?: string;
  runtime: string | { name: string; options?: { nodeargs?: string; typescript?: boolean } };
  config?: Record<string, unknown>;
}

export interface ProgramRun {
  /** The working directory the program ran in (the CLI resolves relative asset paths from it). */
  cwd: string;
  resources: Registered[];
}

/**
 * Runs the Pulumi program of the project at `root` as `pulumi up` would, with mocks for the engine:
 * Pulumi.yaml decides the Node arguments (`runtime.options.nodeargs`), whether the SDK registers
 * ts-node (`PULUMI_NODEJS_TYPESCRIPT`, from `runtime.options.typescript`), the program folder
 * (`main`, passed as `--pwd`), and the configuration (the project's, then the stack file's, passed
 * in `PULUMI_CONFIG` as the language host does). Throws with the program's output when it fails.
 */
export async function runAsPulumiCli(root: string, stack: string): Promise<ProgramRun> {
  const project = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as ProjectFile;
  const stackFile = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as { config?: Record<string, unknown> };
  const options = typeof project.runtime === 'string' ? {} : (project.runtime.options ?? {});
  const config = { ...projectDefaults(project.config ?? {}), ...(stackFile.config ?? {}) };
  const outputDir = mkdtempSync(join(tmpdir(), 'language-host-'));
  const output = join(outputDir, 'resources.json');
  try {
    await promisify(execFile)(
      process.execPath,
      [...splitArgs(options.nodeargs ?? ''), CHILD, '--pwd', resolve(root, project.main ?? '.'), '.'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          PULUMI_CONFIG: JSON.stringify(languageHostConfig(config)),
          PULUMI_CONFIG_SECRET_KEYS: '[]',
          PULUMI_NODEJS_PROJECT: project.name,
          PULUMI_NODEJS_STACK: stack,
          // The language host's default: TypeScript on unless the project says `typescript: false`.
          ...(options.typescript !== false && { PULUMI_NODEJS_TYPESCRIPT: 'true' }),
          LANGUAGE_HOST_OUTPUT: output,
          LANGUAGE_HOST_PROJECT_ROOT: root,
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return JSON.parse(readFileSync(output, 'utf8')) as ProgramRun;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`The program did not run as the Pulumi CLI runs it:\n${failed.stderr ?? ''}${failed.stdout ?? ''}${failed.message}`, { cause: error });
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/** A project file's config: `key: value`, or `key: { value | default: … }`. */
function projectDefaults(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, entry]) => {
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && ('value' in entry || 'default' in entry)) {
        const { value, default: fallback } = entry as { value?: unknown; default?: unknown };
        return [key, value ?? fallback];
      }
      return [key, entry];
    }),
  );
}

/** `chat:modelId: x` as the language host passes it: `{"chat:config:modelId": "x"}`, objects as JSON. */
function languageHostConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const [namespace, ...name] = key.split(':');
      return [`${namespace}:config:${name.join(':')}`, typeof value === 'string' ? value : JSON.stringify(value)];
    }),
  );
}

/** `nodeargs` as the language host splits it (shell words; quotes for spaces). */
function splitArgs(args: string): string[] {
  return [...args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}
