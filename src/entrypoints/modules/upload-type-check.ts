import { ContainerModule } from 'inversify';
import { UploadTypeCheck } from '../../adapters/text-extractor/upload-type-check.js';
import type { TextExtractor } from '../../domain/ports/text-extractor.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

/**
 * For the functions that handle files but read none (files: upload URLs; chat: the texts already
 * extracted): whether a file is accepted, decided from its name and declared type as the readers
 * decide it, without shipping the readers.
 */
export const uploadTypeCheck: AdapterFamily = {
  name: 'upload type check',
  serves: ['extractor'],
  moduleFor: () =>
    new ContainerModule(({ bind }) => {
      bind<TextExtractor>(TOKENS.TextExtractor).toConstantValue(new UploadTypeCheck());
    }),
};
