import type { Server } from 'node:http';
import { type AppDeps, type PrescaleApp, buildApp } from './app';

export interface RunningService {
  app: PrescaleApp;
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  /** Stops accepting connections, drains in-flight requests (up to the grace period), closes the store. */
  stop(): Promise<void>;
}

/** Builds the app and listens on the configured address; the first forecast pass runs in the background. */
export async function serve(deps: AppDeps): Promise<RunningService> {
  const app = buildApp(deps);
  const { host, port, shutdownGrace } = deps.config.server;
  const server = app.http.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  deps.logger.info({ host, port: boundPort }, 'prescale listening');
  const started = app.start().catch((err: unknown) => deps.logger.error({ err }, 'first forecast pass failed'));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await drain(server, shutdownGrace * 1000);
      await started;
      await app.close();
      deps.logger.info('prescale stopped');
    })());
  return { app, server, port: boundPort, stop };
}

/** Closes the listener and idle keep-alive sockets, waits for in-flight requests, then forces the rest. */
async function drain(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
