import { createServer, type AddressInfo } from 'node:net';

/** A port of 127.0.0.1 where nothing listens (it was free a moment ago): for "cannot connect" tests. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
