import { spawn } from 'node:child_process';

export interface CommandResult {
  /** The command is not on PATH. */
  notFound: boolean;
  timedOut: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command and collects its output; injected into the checks so tests can fake it. */
export type RunCommand = (command: string, args: string[]) => Promise<CommandResult>;

/**
 * Runs commands with stdin closed and a time bound: a CLI that is not logged in may otherwise
 * prompt for a token and wait for ever.
 */
export function commandRunner(options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): RunCommand {
  return (command, args) =>
    new Promise((resolve) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      // Our own timer rather than spawn's `timeout` option, whose timer outlives a command that
      // failed to start and holds the process open until it fires.
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill();
      }, options.timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ notFound: error.code === 'ENOENT', timedOut, exitCode: null, stdout, stderr: stderr || error.message });
      });
      child.once('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ notFound: false, timedOut, exitCode, stdout, stderr });
      });
    });
}

/** The first non-empty line of a command's complaint, for a one-line report. */
export const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0) ?? '';
