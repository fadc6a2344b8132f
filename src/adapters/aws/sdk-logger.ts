import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type SdkLogger = NonNullable<DynamoDBClientConfig['logger']>;

const ignore = (): void => undefined;

/**
 * The logger every AWS SDK client here is given: one without `info`. After every call the SDK's
 * logger middleware runs `logger?.info?.({ input: filter(input), output: filter(output) })`, and
 * its default no-op logger has an `info`: each call walked its whole input and output through
 * the schema's sensitive-data filter to log nothing. On the chat path, which reads a whole
 * conversation, that was the SDK's largest CPU cost (bench/README.md, `time-to-model`). The SDK's
 * warnings and errors go where its default sends them, nowhere: the adapters report failures.
 */
export const quietSdkLogger = { trace: ignore, debug: ignore, warn: ignore, error: ignore } as unknown as SdkLogger;
