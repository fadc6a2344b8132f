/**
 * Everything a chat function talks to that is not the function, in a process of its own, as on
 * AWS, where DynamoDB, S3 and Bedrock run on other machines: the embedded stores (on their own
 * thread), a delaying proxy in front of each (the latency AWS would add), and the fake Bedrock
 * behind a proxy that adds nothing but notes when each call arrives. Started by
 * `startAwsSide` (aws-side-process.ts), which it obeys over the IPC channel.
 */
import { Worker } from 'node:worker_threads';
import { answer, startFakeBedrock } from '../../test/support/fake-bedrock.js';
import type { AwsSideCommand, AwsSideMessage } from './aws-side-process.js';
import { startDelayingProxy } from './delaying-proxy.js';

// The bench may be gone (or killed) at any time, even before all this has started.
const send = (message: AwsSideMessage): void => void (process.connected && process.send!(message));
/** What has started, to close in reverse order. */
const started: Array<() => Promise<unknown>> = [];
let closing: Promise<void> | undefined;
function close(): Promise<void> {
  closing ??= (async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  })();
  return closing;
}
// The bench gone: leave nothing behind, s3rver's folder included. The channel may have closed
// while this module was still loading, before anyone listened: then `connected` says so.
const closeAndLeave = () => void close().then(() => process.exit(0));
process.once('disconnect', closeAndLeave);
if (!process.connected) closeAndLeave();

const storesThread = startStoresThread();
started.push(() => closeStoresThread(storesThread));
const stores = await new Promise<{ dynamoDbEndpoint: string; s3Endpoint: string }>((resolve, reject) => {
  storesThread.once('message', resolve);
  storesThread.once('error', reject);
});
const bedrock = await startFakeBedrock();
started.push(() => bedrock.close());
bedrock.reply(answer(['The', ' answer', '.']));
const dynamoDb = await startDelayingProxy(stores.dynamoDbEndpoint, 0);
started.push(() => dynamoDb.close());
const s3 = await startDelayingProxy(stores.s3Endpoint, 0);
started.push(() => s3.close());
const model = await startDelayingProxy(bedrock.url, 0);
started.push(() => model.close());

process.on('message', (command: AwsSideCommand) => {
  void obey(command).catch((error: unknown) => send({ id: command.id, error: String(error) }));
});
send({ type: 'ready', dynamoDbUrl: dynamoDb.url, s3Url: s3.url, modelUrl: model.url });

async function obey(command: AwsSideCommand): Promise<void> {
  switch (command.type) {
    case 'delays':
      [dynamoDb.delayMs, s3.delayMs] = [command.dynamoDbMs, command.s3Ms];
      [dynamoDb.mode, s3.mode] = [command.mode, command.mode];
      return send({ id: command.id });
    case 'calls': {
      const since = ({ calls }: { calls: typeof model.calls }) => calls.filter((call) => call.arrivedAt >= command.since);
      return send({ id: command.id, calls: { dynamoDb: since(dynamoDb), s3: since(s3), model: since(model) } });
    }
    case 'close':
      await close();
      send({ id: command.id });
      return process.disconnect();
  }
}

/**
 * A worker does not inherit the loader `--import tsx` gives this process (Node 20 loads a
 * worker's entry before any hook), so the worker registers it first, then imports the stores.
 */
function startStoresThread(): Worker {
  const entry = new URL('./aws-stores-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
}

/** Asks the stores to close (s3rver then removes its folder), and ends the thread however that goes. */
async function closeStoresThread(thread: Worker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 5_000);
    thread.on('message', (message) => message === 'closed' && resolve());
    thread.once('exit', () => resolve());
  });
  thread.postMessage('close');
  await closed;
  clearTimeout(timer);
  await thread.terminate();
}
