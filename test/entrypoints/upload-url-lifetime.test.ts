import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/entrypoints/config.js';

const base = { STORE: 'memory', LOG_LEVEL: 'SILENT' };

describe('UPLOAD_URL_TTL_SECONDS', () => {
  it('gives upload URLs five minutes by default', () => {
    expect(loadConfig(base).files.uploadUrlTtlSeconds).toBe(300);
    expect(loadConfig({ ...base, UPLOAD_URL_TTL_SECONDS: '900' }).files.uploadUrlTtlSeconds).toBe(900);
  });

  it('refuses more than an hour, with the reason', () => {
    expect(() => loadConfig({ ...base, UPLOAD_URL_TTL_SECONDS: '86400' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, UPLOAD_URL_TTL_SECONDS: '86400' })).toThrow(/UPLOAD_URL_TTL_SECONDS: must be at most 3600: upload URLs are short-lived/);
  });
});
