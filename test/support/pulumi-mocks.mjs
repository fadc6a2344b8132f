// Plain JavaScript: it also runs in the child process of the language-host test, which is started
// only with the Node arguments Pulumi.yaml gives (a TypeScript loader may be missing there).

export const MOCK_ACCOUNT = '123456789012';
export const MOCK_REGION = 'eu-west-1';
export const MOCK_DISTRIBUTION_DOMAIN = 'd111.cloudfront.net';

/**
 * Pulumi mocks that record every resource the program declares, with its inputs, and make up the
 * outputs the components read back (ARNs, names, the distribution's domain) from its name.
 */
export function recordingMocks(registered) {
  return {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const arn = `arn:aws:mock:${MOCK_REGION}:${MOCK_ACCOUNT}:${args.name}`;
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
          invokeUrl: `https://${args.name}.execute-api.${MOCK_REGION}.amazonaws.com/api`,
          domainName: MOCK_DISTRIBUTION_DOMAIN,
          bucketRegionalDomainName: `${args.name}.s3.${MOCK_REGION}.amazonaws.com`,
          // random.RandomPassword
          result: `${args.name}-random-value`,
        },
      };
    },
    call: (args) => {
      if (args.token === 'aws:index/getRegion:getRegion') return { region: MOCK_REGION, name: MOCK_REGION };
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: MOCK_ACCOUNT };
      return args.inputs;
    },
  };
}
