import { afterAll } from 'vitest';
import {
  chatModelContract,
  chatModelFailureContract,
  paced,
  startFakeStreamingServer,
  streamReply,
  type AnswerFraming,
} from '../../test/contracts/chat-model.contract.js';
import { NdjsonChatModel } from './ndjson-model.js';

// The protocol's frames, for the fake server: one JSON object a line, a done line last.
const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const ndjson: AnswerFraming = {
  headers: { 'content-type': 'application/x-ndjson' },
  text: (piece) => line({ text: piece }),
  end: [line({ done: true, reason: 'stop', usage: { input: 12, output: 60 } })],
  error: (_status, message) => ({ body: line({ error: message }) }),
};
const limits = { contextWindowTokens: 32_768, maxOutputTokens: 4_000 };

// The happy paths, against an answer paced a few milliseconds a word so that an abort lands mid-stream.
const server = await startFakeStreamingServer();
afterAll(() => server.close());
const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
server.reply(streamReply(ndjson.headers, [...paced(words.map((word) => ndjson.text(word)), 2), ...ndjson.end]));
chatModelContract('NdjsonChatModel', () => new NdjsonChatModel({ baseUrl: server.url, modelId: 'ndjson-test', limits }));

// The failure paths: refused key, throttling, server errors, a cut stream, abort closing the connection.
chatModelFailureContract('NdjsonChatModel', {
  makeModel: ({ url, retry }) => new NdjsonChatModel({ baseUrl: url, apiKey: 'test-key', modelId: 'ndjson-test', limits, retry }),
  framing: ndjson,
});
