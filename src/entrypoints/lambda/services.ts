import { composeContainer, servicesOf, type AppServices } from '../container.js';
import { loadConfig, type AppConfig } from '../config.js';
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
  return lambdaServicesOf(loadConfig(process.env), families, uses);
}

/**
 * The same from a configuration the entry loaded itself: the chat function first loads a team's
 * model module into it (importing is asynchronous, composing is not).
 */
export function lambdaServicesOf<K extends keyof AppServices>(config: AppConfig, families: readonly AdapterFamily[], uses: readonly K[]): Pick<AppServices, K> {
  const services = servicesOf(composeContainer(config, families));
  for (const service of uses) void services[service];
  return services;
}
