/**
 * dynalite and s3rver on a thread of their own inside the AWS side's process (aws-side.ts): their
 * work (LevelDB in JavaScript, a few ms a call) then never holds up the proxies' and the model's
 * event loop, where the arrival times are written down. Started through `startStoresThread`.
 */
import { parentPort } from 'node:worker_threads';
import { startEmbeddedStores } from '../../src/entrypoints/local/embedded-stores.js';

const port = parentPort!;
const stores = await startEmbeddedStores({ buckets: [] });
port.postMessage({ dynamoDbEndpoint: stores.dynamoDbEndpoint, s3Endpoint: stores.s3Endpoint });
port.once('message', () => {
  void stores.close().then(() => port.postMessage('closed'));
});
