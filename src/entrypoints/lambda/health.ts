import { createHealthHandler } from '../handlers/health.js';

// The one setting this function reads: loading the whole configuration would only slow it down.
export const handler = createHealthHandler(process.env.ORIGIN_VERIFY_SECRET || undefined);
