import { composeContainer, servicesOf, type AppServices } from '../container.js';
import { loadConfig } from '../config.js';
import type { AdapterFamily } from '../modules/adapter-family.js';

/**
 * A function's services, composed and built once per cold start at module scope: Lambda's init
 * phase, which runs with a full CPU, and is where a wiring mistake belongs. `uses` names every
 * service the function's handler reads (its parameter type says which: a list that misses one does
 * not compile); each is built here, so that a family the entry forgot to import fails the cold
 * start with the missing port's name instead of answering the first request with a 500.
 *
 * Each entry passes the adapter families it imports: those imports decide what its bundle holds.
 */
export function lambdaServices<K extends keyof AppServices>(families: readonly AdapterFamily[], uses: readonly K[]): Pick<AppServices, K> {
  const services = servicesOf(composeContainer(loadConfig(process.env), families));
  for (const service of uses) void services[service];
  return services;
}
