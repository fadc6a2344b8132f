import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INLINE_FILE_BYTES, EXTENSIONS_BY_FILE_TYPE } from '../../../src/contract/file-types';
import type { FileRules, SiteConfig } from '../api/types';
import { useFilesStore } from './files';
import { useSessionStore } from './session';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * A server that serves `config` as /config.json and notes which upload route each file took: an
 * inline upload is read at once; an upload URL is refused (the route taken is what matters here).
 */
function server(config: SiteConfig) {
  const routes: string[] = [];
  const fetchFn = (async (input: string, init: RequestInit = {}) => {
    const path = new URL(input, 'http://app.test').pathname;
    if (path === '/config.json') return json(200, config);
    if (path === '/local-auth/token') return json(200, { idToken: 'token', accessToken: 'a', expiresIn: 3600 });
    routes.push(`${init.method ?? 'GET'} ${path}`);
    if (path === '/files') {
      const { fileName } = JSON.parse(init.body as string) as { fileName: string };
      return json(201, { fileId: `id-${fileName}`, fileName, fileType: 'text', size: 1, charCount: 1, status: 'ready', uploadedAt: '2026-11-02T10:00:00.000Z' });
    }
    return json(413, { error: { code: 'FILE_TOO_LARGE', message: 'The file is too large.', requestId: 'r1' } });
  }) as typeof fetch;
  return { fetchFn, routes };
}

async function signedIn(config: SiteConfig) {
  const fake = server(config);
  const session = useSessionStore();
  await session.start({ fetch: fake.fetchFn });
  await session.signInLocal('Ada');
  return { files: useFilesStore(), routes: fake.routes };
}

const bytes = (size: number, name: string) => new File([new Uint8Array(size)], name, { type: 'text/plain' });

describe('the files store, by what config.json says', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    sessionStorage.clear();
  });

  it('sends inline up to the server’s own limit, and larger files by upload URL', async () => {
    const rules: FileRules = { maxInlineBytes: 8, extensions: EXTENSIONS_BY_FILE_TYPE };
    const { files, routes } = await signedIn({ apiUrl: 'http://app.test', auth: { mode: 'local' }, files: rules });
    await Promise.all(files.add([bytes(8, 'small.txt'), bytes(9, 'large.txt')]));
    // Each file goes as soon as it is added: in whichever order the two calls leave.
    expect(routes.sort()).toEqual(['POST /files', 'POST /files/uploads']);
    expect(files.attachments).toMatchObject([
      { name: 'small.txt', status: 'ready' },
      { name: 'large.txt', status: 'failed', errorCode: 'FILE_TOO_LARGE' },
    ]);
  });

  it('offers in the picker the extensions the server lists', async () => {
    const rules: FileRules = { maxInlineBytes: 8, extensions: { ...EXTENSIONS_BY_FILE_TYPE, csv: ['csv'] } };
    const { files } = await signedIn({ apiUrl: 'http://app.test', auth: { mode: 'local' }, files: rules });
    expect(files.accept.split(',')).toEqual(expect.arrayContaining(['.pdf', '.docx', '.md', '.py', 'text/*']));
    expect(files.acceptFor('spreadsheet')).toBe('.csv');
  });

  it('takes the default limit, and offers any file, from a server that does not say (an older stack)', async () => {
    const { files, routes } = await signedIn({ apiUrl: 'http://app.test', auth: { mode: 'local' } });
    expect(files.inlineLimitBytes).toBe(DEFAULT_MAX_INLINE_FILE_BYTES);
    expect(files.accept).toBe('');
    await Promise.all(files.add([bytes(DEFAULT_MAX_INLINE_FILE_BYTES + 1, 'large.txt')]));
    expect(routes).toEqual(['POST /files/uploads']);
  });
});
