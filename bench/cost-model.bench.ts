import { PassThrough } from 'node:stream';
import type { ChatModel, ModelEvent, ModelLimits } from '../src/domain/ports/chat-model.js';
import { servicesFromAllFamilies } from '../src/entrypoints/modules/all-families.js';
import { loadConfig } from '../src/entrypoints/config.js';
import { createChatStreamHandler } from '../src/entrypoints/handlers/chat.js';
import { startEmbeddedStores } from '../src/entrypoints/local/embedded-stores.js';
import { ensureTables } from '../src/adapters/aws/ensure-resources.js';
import { createDynamoDbClient } from '../src/adapters/aws/clients.js';
import { EMBEDDED_CREDENTIALS } from '../src/entrypoints/embedded-credentials.js';
import { chatEvent } from '../test/support/api-event.js';
import { DynamoDbCapacityMeter } from './support/dynamodb-capacity-meter.js';
import type { BenchResult } from './support/report.js';

const MESSAGES = 1000;
const TURNS_PER_CONVERSATION = 10;
/** The chat function's memory in infra/components/functions.ts. */
const CHAT_MEMORY_MB = 512;
/** How long the function waits on the model for a typical answer (about 400 tokens at 40 tokens/s). */
const MODEL_SECONDS = 10;

/** List prices, eu-west-1, USD (AWS pricing pages, 2026): change them here when they change. */
const PRICE = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  dynamoWriteUnit: 0.7625 / 1e6,
  dynamoReadUnit: 0.1525 / 1e6,
  apiGatewayRestRequest: 3.5 / 1e6,
  logsIngestedGb: 0.57,
};

/** The estimate the project was planned on: $30-75 a month for 100 users sending 10 messages a day (30,000 messages). */
const SEED_PER_1000 = { low: 30 / 30, high: 75 / 30 };

class InstantModel implements ChatModel {
  readonly modelId = 'instant';
  readonly limits: ModelLimits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
  async *stream(): AsyncGenerator<ModelEvent> {
    yield { type: 'text', text: 'A typical answer of a few paragraphs. '.repeat(40) };
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 800, outputTokens: 400 } };
  }
}

/**
 * What 1,000 chat messages cost on AWS without the model: Lambda GB-seconds from the measured
 * handler time (the real streaming handler, DynamoDB on dynalite), DynamoDB request units counted
 * from the calls made, API Gateway requests and log ingestion; and the same with the time the
 * function waits on the model, which is what dominates. Against the estimate the project was planned on.
 */
export async function costModelBench(): Promise<BenchResult> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const stores = await startEmbeddedStores({ buckets: ['bench-uploads'] });
  const meter = new DynamoDbCapacityMeter(stores.dynamoDbEndpoint);
  const endpoint = await meter.start();
  try {
    await ensureTables(createDynamoDbClient({ region: 'eu-west-1', dynamoDbEndpoint: endpoint, credentials: EMBEDDED_CREDENTIALS }), {
      chatHistory: 'bench-history',
      fileMetadata: 'bench-files',
      usage: 'bench-usage',
    });
    const services = servicesFromAllFamilies(
      loadConfig({
        STORE: 'embedded',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL_S3: stores.s3Endpoint,
        CHAT_HISTORY_TABLE: 'bench-history',
        FILE_METADATA_TABLE: 'bench-files',
        USAGE_TABLE: 'bench-usage',
        UPLOAD_BUCKET: 'bench-uploads',
        LOG_LEVEL: 'SILENT',
      }),
      { model: new InstantModel() },
    );
    const handler = createChatStreamHandler(services, { from: (stream) => stream });
    const { idToken } = services.localIssuer!.issue('cost-bench');
    const chat = async (body: object): Promise<string> => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await handler(chatEvent(idToken, body), out);
      return Buffer.concat(chunks).toString('utf8');
    };

    await chat({ message: 'warm up' });
    meter.reset();
    let conversationId: string | undefined;
    let handlerMs = 0;
    let responseBytes = 0;
    for (let n = 0; n < MESSAGES; n++) {
      if (n % TURNS_PER_CONVERSATION === 0) conversationId = undefined;
      const began = performance.now();
      const body = await chat({ message: `Question ${n}: what does this paragraph mean? ${'Some context. '.repeat(20)}`, ...(conversationId && { conversationId }) });
      handlerMs += performance.now() - began;
      responseBytes += body.length;
      conversationId ??= (JSON.parse(/^event: meta\ndata: (.*)$/m.exec(body)![1]!) as { conversationId: string }).conversationId;
    }

    const gb = CHAT_MEMORY_MB / 1024;
    const handlerSeconds = handlerMs / 1000;
    const lambdaWork = handlerSeconds * gb * PRICE.lambdaGbSecondArm + MESSAGES * PRICE.lambdaRequest;
    const lambdaWaiting = MESSAGES * MODEL_SECONDS * gb * PRICE.lambdaGbSecondArm;
    const dynamo = meter.writeUnits * PRICE.dynamoWriteUnit + meter.readUnits * PRICE.dynamoReadUnit;
    const api = MESSAGES * PRICE.apiGatewayRestRequest;
    // One log line of metrics (EMF) and about one of request logging per answer.
    const logs = ((MESSAGES * 900) / 1e9) * PRICE.logsIngestedGb;
    const withoutWaiting = lambdaWork + dynamo + api + logs;
    const total = withoutWaiting + lambdaWaiting;
    const usd = (value: number) => `$${value.toFixed(4)}`;
    return {
      name: 'cost model (USD per 1,000 messages, model excluded)',
      description: `${MESSAGES} messages in conversations of ${TURNS_PER_CONVERSATION} turns through the streaming chat handler on dynalite; chat function ${CHAT_MEMORY_MB} MB arm64; eu-west-1 list prices; the planning estimate was $${SEED_PER_1000.low.toFixed(2)}-${SEED_PER_1000.high.toFixed(2)} per 1,000 messages`,
      rows: [
        { item: 'Lambda, handler work', measure: `${(handlerMs / MESSAGES).toFixed(2)} ms/message`, usd: usd(lambdaWork) },
        { item: 'DynamoDB writes', measure: `${(meter.writeUnits / MESSAGES).toFixed(2)} WRU/message`, usd: usd(meter.writeUnits * PRICE.dynamoWriteUnit) },
        { item: 'DynamoDB reads', measure: `${(meter.readUnits / MESSAGES).toFixed(2)} RRU/message`, usd: usd(meter.readUnits * PRICE.dynamoReadUnit) },
        { item: 'API Gateway REST', measure: '1 request/message', usd: usd(api) },
        { item: 'CloudWatch Logs', measure: '~900 B/message', usd: usd(logs) },
        { item: 'total without waiting', measure: `${(responseBytes / MESSAGES / 1024).toFixed(1)} KB streamed/message`, usd: usd(withoutWaiting) },
        { item: `Lambda waiting on the model`, measure: `${MODEL_SECONDS} s/message`, usd: usd(lambdaWaiting) },
        { item: 'total', measure: `ratio to the planning estimate's low end: ${(total / SEED_PER_1000.low).toFixed(3)}`, usd: usd(total) },
      ],
    };
  } finally {
    await meter.stop();
    await stores.close();
  }
}
