import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/contract/config.js';
import { startLocalServer, type LocalServer } from '../../src/entrypoints/local/server.js';

/**
 * docs/api.md shows a whole `/config.json`. Its `files` rules are what a reader copies into a
 * client, so they must be the ones a server sends: a new extension or a new limit that the page
 * does not show fails here.
 */
function documentedExample(): unknown {
  const api = readFileSync('docs/api.md', 'utf8');
  const section = api.slice(api.indexOf('### `GET /config.json`'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('docs/api.md: no JSON example under GET /config.json');
  return JSON.parse(block[1]!);
}

describe('the /config.json example in docs/api.md', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0, env: { STORE: 'memory', LOG_LEVEL: 'SILENT' } });
  });
  afterAll(() => server.close());

  it('is a valid config.json, with the file rules a server with default settings sends', async () => {
    const example = siteConfig.parse(documentedExample());
    const served = siteConfig.parse(await (await fetch(`${server.url}/config.json`)).json());
    expect(example.files).toEqual(served.files);
  });
});
