import type * as pulumi from '@pulumi/pulumi';

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const MOCK_ACCOUNT: string;
export const MOCK_REGION: string;
export const MOCK_DISTRIBUTION_DOMAIN: string;
export function recordingMocks(registered: Registered[]): pulumi.runtime.Mocks;
