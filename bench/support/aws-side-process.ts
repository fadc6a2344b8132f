import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DelayMode, ProxiedCall } from './delaying-proxy.js';

const ENTRY = fileURLToPath(new URL('./aws-side.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Generous: dynalite, s3rver and tsx start in a second or two even on a busy machine. */
const START_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 15_000;

export interface CallsSince {
  dynamoDb: ProxiedCall[];
  s3: ProxiedCall[];
  model: ProxiedCall[];
}

/** What the bench asks of the AWS side, over the IPC channel. */
export type AwsSideCommand =
  | { id: number; type: 'delays'; dynamoDbMs: number; s3Ms: number; mode: DelayMode }
  | { id: number; type: 'calls'; since: number }
  | { id: number; type: 'close' };

/** What the AWS side sends back: once `ready`, then one answer per command, by its id. */
export type AwsSideMessage =
  | { type: 'ready'; dynamoDbUrl: string; s3Url: string; modelUrl: string }
  | { id: number; calls?: CallsSince; error?: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface AwsSide {
  /** The delaying proxies' endpoints, for `AWS_ENDPOINT_URL_DYNAMODB`, `_S3` and `_BEDROCK_RUNTIME`. */
  dynamoDbUrl: string;
  s3Url: string;
  modelUrl: string;
  /** Each store call's latency from now on: `added` to the stand-in's own time, or in `total` (see DelayMode). */
  setDelays(dynamoDbMs: number, s3Ms: number, mode?: DelayMode): Promise<void>;
  /** The calls that arrived at `since` (wall-clock ms) or later, by service, in order of arrival. */
  callsSince(since: number): Promise<CallsSince>;
  /** Closes everything there; kills the process if it does not end by itself. */
  close(): Promise<void>;
}

/**
 * Starts bench/support/aws-side.ts in a process of its own (stores, delaying proxies, fake
 * Bedrock), so that none of their work runs on the event loop of the server under test. Its
 * times are wall-clock ms (`performance.timeOrigin + performance.now()`): both processes read
 * the same system clock, so they compare with this process's to well under a millisecond.
 */
export async function startAwsSide(): Promise<AwsSide> {
  const child = fork(ENTRY, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const ready = await first(child, (message) => ('type' in message ? message : undefined), START_TIMEOUT_MS, 'start');
    let nextId = 1;
    const ask = async (command: WithoutId<AwsSideCommand>) => {
      const id = nextId++;
      const answered = first(child, (message) => ('id' in message && message.id === id ? message : undefined), ANSWER_TIMEOUT_MS, command.type);
      child.send({ ...command, id });
      const answer = await answered;
      if (answer.error) throw new Error(`the AWS side failed to ${command.type}: ${answer.error}`);
      return answer;
    };
    return {
      dynamoDbUrl: ready.dynamoDbUrl,
      s3Url: ready.s3Url,
      modelUrl: ready.modelUrl,
      setDelays: async (dynamoDbMs, s3Ms, mode = 'added') => void (await ask({ type: 'delays', dynamoDbMs, s3Ms, mode })),
      callsSince: async (since) => (await ask({ type: 'calls', since })).calls!,
      close: async () => {
        await ask({ type: 'close' }).catch(() => undefined);
        await endOrKill(child, exited);
      },
    };
  } catch (error) {
    await endOrKill(child, exited);
    throw error;
  }
}

/** The first message `pick` accepts; rejects when the process ends first or the time is up. */
function first<T>(child: ChildProcess, pick: (message: AwsSideMessage) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: AwsSideMessage) => {
      const picked = pick(message);
      if (picked === undefined) return;
      done();
      resolve(picked);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the AWS side ended (code ${code}) before it could ${what}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the AWS side did not ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function endOrKill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
