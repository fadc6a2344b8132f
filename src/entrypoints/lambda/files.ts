import { createFilesHandler } from '../handlers/files.js';
import { services } from './services.js';

export const handler = createFilesHandler(services);
