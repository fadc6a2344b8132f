import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';

export interface RunningApp {
  url: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
  /** Stops the server as a crash or Ctrl+C would, keeping its data and port: the page sees it gone. */
  halt(): Promise<void>;
  /** Starts it again after `halt`, on the same port and data, as `npm start` run again would. */
  resume(): Promise<void>;
}

/**
 * The app as users start it (`npm start`: src/entrypoints/local/main.ts) in a child process on a
 * random port, with its own data folder, stopped and cleaned up at the end.
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-data-'));
  const childEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'WARN', ...env };
  let child = await spawnApp(childEnv);
  return {
    url: child.url,
    stop: async () => {
      await kill(child.process);
      rmSync(dataDir, { recursive: true, force: true });
    },
    halt: () => kill(child.process),
    resume: async () => {
      child = await spawnApp(childEnv);
    },
  };
}

async function spawnApp(env: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/entrypoints/local/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}:\n${output}`)));
  });
  return { url, process: child };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
}
