import type { FileRules } from '../../contract/config.js';
import { EXTENSIONS_BY_FILE_TYPE } from '../../contract/file-types.js';
import type { AppConfig } from '../config.js';

/**
 * `/config.json`'s `files`: the inline upload limit this server applies and the extensions it
 * reads, so that the SPA decides inline or upload URL, and what its file picker offers, as the
 * server will. The local server and the stack both build it here.
 */
export function fileRulesOf(files: Pick<AppConfig['files'], 'maxInlineBytes'>): FileRules {
  return {
    maxInlineBytes: files.maxInlineBytes,
    extensions: EXTENSIONS_BY_FILE_TYPE,
  };
}
