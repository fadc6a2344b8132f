import { ConfigError } from '../config.js';
import { startLocalServer } from './server.js';
import { ensureWebBuilt } from './web-build.js';

/** `npm start`: the whole app on 127.0.0.1, offline, on its embedded defaults. */
// The SDK's notice that it will need Node 22 in 2027 says nothing to someone running the app.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Metrics are CloudWatch EMF lines: on a laptop they would only clutter the terminal.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

try {
  ensureWebBuilt();
  // `npm start` keeps its data: embedded DynamoDB and S3 stand-ins under .data/ unless STORE says otherwise.
  const server = await startLocalServer({ env: { STORE: 'embedded', ...process.env } });
  const { config } = server.services;
  console.log(`Claude Serverless Chat is running at ${server.url}`);
  const store = config.store.kind === 'embedded' ? `embedded DynamoDB and S3, data in ${config.store.dataDir}/` : config.store.kind;
  const { modelId, limits } = server.services.model;
  const model = `${modelId} (${config.model.provider}, ${limits.contextWindowTokens} tokens of context)`;
  console.log(`  model: ${model}; store: ${store}; sign-in: ${config.auth.mode}`);
  console.log('  Stop with Ctrl+C.');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${process.env.PORT ?? 3000} is in use. Start with another one, e.g. PORT=3001 npm start.`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
