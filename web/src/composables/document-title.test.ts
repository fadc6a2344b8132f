import { describe, expect, it } from 'vitest';
import { pageTitle } from './document-title';

describe('the tab title', () => {
  it('puts what is on screen before the app’s name', () => {
    expect(pageTitle('Trip to Lyon', 'Claude Serverless Chat')).toBe('Trip to Lyon – Claude Serverless Chat');
    expect(pageTitle('  ', 'Claude Serverless Chat')).toBe('Claude Serverless Chat');
    expect(pageTitle(undefined, 'Claude Serverless Chat')).toBe('Claude Serverless Chat');
  });
});
