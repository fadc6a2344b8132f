import { createHealthHandler } from '../handlers/health.js';

export const handler = createHealthHandler();
