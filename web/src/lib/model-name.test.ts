import { describe, expect, it } from 'vitest';
import { modelDisplayName } from './model-name';

describe('modelDisplayName', () => {
  it.each([
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'Claude Sonnet 4.5'],
    ['us.anthropic.claude-opus-4-1-20250805-v1:0', 'Claude Opus 4.1'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'Claude Haiku 4.5'],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 'Claude Sonnet 4'],
    ['apac.anthropic.claude-3-5-sonnet-20240620-v1:0', 'Claude 3.5 Sonnet'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'Claude 3 Haiku'],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'Claude 3.7 Sonnet'],
    ['claude-sonnet-4-5', 'Claude Sonnet 4.5'],
    ['claude-3-5-haiku-latest', 'Claude 3.5 Haiku'],
    ['claude-opus-4-20250514', 'Claude Opus 4'],
  ])('names %s "%s"', (id, name) => {
    expect(modelDisplayName(id)).toBe(name);
  });

  it.each(['offline-demo', 'gpt-4o-mini', 'anthropic.claude-v2:1', 'llama3.1:8b', ''])('shows %s as it is', (id) => {
    expect(modelDisplayName(id)).toBe(id);
  });
});
