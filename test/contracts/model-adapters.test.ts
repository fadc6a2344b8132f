import { afterAll } from 'vitest';
import { BedrockChatModel, createBedrockRuntimeClient } from '../../src/adapters/chat-model/bedrock-chat-model.js';
import { OpenAiChatModel } from '../../src/adapters/chat-model/openai-chat-model.js';
import type { RetryPolicy } from '../../src/adapters/chat-model/retry.js';
import { answer, bedrockFraming, startFakeBedrock } from '../support/fake-bedrock.js';
import { completion, openAiFraming, startFakeOpenAi } from '../support/fake-openai.js';
import { chatModelContract, chatModelFailureContract } from './chat-model.contract.js';

// The real adapters against local stand-ins speaking the real wire protocols. The answers are
// paced (a few milliseconds a word) so that aborts land mid-stream, as with a real model.
const bedrock = await startFakeBedrock();
const openai = await startFakeOpenAi();
afterAll(async () => {
  await Promise.all([bedrock.close(), openai.close()]);
});
const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
bedrock.reply(answer(words, { delayMs: 2 }));
openai.reply(completion(words, { delayMs: 2 }));

chatModelContract(
  'BedrockChatModel (ConverseStream on a local fake)',
  () =>
    new BedrockChatModel(
      createBedrockRuntimeClient({ region: 'eu-west-1', endpoint: bedrock.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      { modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'eu-west-1' },
    ),
);
chatModelContract('OpenAiChatModel (chat completions on a local fake)', () => new OpenAiChatModel({ baseUrl: openai.url, modelId: 'llama3.2' }));

// The failure paths, each adapter against the protocol-agnostic fake server speaking its frames.
const bedrockAt = (endpoint: string, retry: RetryPolicy) =>
  new BedrockChatModel(createBedrockRuntimeClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), {
    modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    region: 'eu-west-1',
    retry,
  });
chatModelFailureContract('BedrockChatModel (event-stream frames)', { makeModel: ({ url, retry }) => bedrockAt(url, retry), framing: bedrockFraming });
chatModelFailureContract('OpenAiChatModel (Server-Sent Events)', {
  makeModel: ({ url, retry }) => new OpenAiChatModel({ baseUrl: `${url}/v1`, apiKey: 'sk-test', modelId: 'llama3.2', retry }),
  framing: openAiFraming,
});
