import { ConfigError } from '../config.js';
import { startLocalServer } from './server.js';

/** `npm start`: the whole app on 127.0.0.1, offline, on its embedded defaults. */
try {
  const server = await startLocalServer();
  const { config } = server.services;
  console.log(`Claude Serverless Chat is running at ${server.url}`);
  console.log(`  model: ${config.model.provider}, store: ${config.store}, sign-in: ${config.auth.mode}`);
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
