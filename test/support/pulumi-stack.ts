import * as pulumi from '@pulumi/pulumi';

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * The Pulumi program (infra/index.ts) under mocks: no CLI, no cloud. Every resource it declares
 * is recorded with its inputs, and the outputs the components read back (ARNs, names, the
 * distribution's domain) are made up from the resource's name. Call once per test file.
 */
export async function runStackWithMocks(webDist: string): Promise<Registered[]> {
  const registered: Registered[] = [];
  pulumi.runtime.setAllConfig({
    'chat:webDistDir': webDist,
    'aws:region': 'eu-west-1',
    'chat:allowedOrigins': JSON.stringify(['https://chat.example.com']),
    'chat:modelId': 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  });
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const arn = `arn:aws:mock:eu-west-1:123456789012:${args.name}`;
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            arn,
            name: args.inputs.name ?? args.name,
            bucket: args.inputs.bucket ?? args.name,
            invokeArn: `${arn}/invocations`,
            responseStreamingInvokeArn: `${arn}/response-streaming-invocations`,
            executionArn: arn,
            rootResourceId: 'root',
            invokeUrl: 'https://api.example.com/api',
            domainName: 'd111.cloudfront.net',
            bucketRegionalDomainName: `${args.name}.s3.eu-west-1.amazonaws.com`,
          },
        };
      },
      call: (args) => {
        if (args.token === 'aws:index/getRegion:getRegion') return { region: 'eu-west-1', name: 'eu-west-1' };
        if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: '123456789012' };
        return args.inputs;
      },
    },
    'claude-serverless-chat',
    'dev',
    false,
  );
  const stack = await import('../../infra/index.js');
  await new Promise<void>((resolve) => stack.apiUrl.apply(() => resolve()));
  // Let the last registrations land: wait until the count stops moving.
  for (let last = -1; last !== registered.length; ) {
    last = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registered;
}
