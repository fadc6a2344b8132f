import { ContainerModule } from 'inversify';
import { DocumentTextExtractor } from '../../adapters/text-extractor/document-text-extractor.js';
import type { TextExtractor } from '../../domain/ports/text-extractor.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

/**
 * The document readers (PDF and DOCX in a worker thread, CSV, text, Markdown, JSON, code): the
 * file processor's, which reads every file, and the local server's.
 */
export const documentExtractors: AdapterFamily = {
  name: 'document readers',
  serves: ['extractor'],
  moduleFor: ({ extraction }) =>
    new ContainerModule(({ bind }) => {
      bind<TextExtractor>(TOKENS.TextExtractor).toResolvedValue(() => new DocumentTextExtractor(extraction));
    }),
};
