import { createFileProcessorHandler } from '../handlers/file-processor.js';
import { services } from './services.js';

export const handler = createFileProcessorHandler(services);
