import type { AdapterLoaders } from './adapter-loaders.js';

/** The document readers (PDF, DOCX, CSV). One loader a module: importing it pulls in this chunk only. */
export const loadDocuments: Required<AdapterLoaders>['documents'] = () => import('../../adapters/text-extractor/document-text-extractor.js');
