import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { type RequestHeaderSettings, fetchRequestHeaderSettings } from '../api/external-metrics/authentication-config-map';
import { createExternalMetricsServer } from '../api/external-metrics/external-metrics-server';
import { externalMetricsRequestMetrics } from '../api/external-metrics/request-metrics';
import { startExternalScalerServer } from '../api/keda/external-scaler-server';
import { readPem, servingTls } from '../api/tls/serving-tls';
import { type AppDeps, type PrescaleApp, buildApp } from './app';
import { systemClock } from '../src/time/clock';

export interface RunningService {
  app: PrescaleApp;
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  /** The HTTPS aggregated API server and its bound port, when `externalMetrics` is configured. */
  externalMetrics?: { server: HttpsServer; port: number };
  /** The KEDA external scaler and its bound port, when `keda` is configured. */
  keda?: { server: GrpcServer; port: number };
  /** Stops accepting connections, drains in-flight requests (up to the grace period), closes the store. */
  stop(): Promise<void>;
}

/** In a pod: the Kubernetes API through the service account (for `requestHeader.fromCluster`). */
const IN_CLUSTER_API = {
  url: 'https://kubernetes.default.svc',
  tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
};

export interface ServeDeps extends AppDeps {
  /** Kubernetes API access for `externalMetrics.requestHeader.fromCluster`; defaults to the in-cluster service account. */
  kubernetesApi?: { url: string; tokenFile: string; caFile: string };
}

/** Builds the app and listens on the configured addresses; the first forecast pass runs in the background. */
export async function serve(deps: ServeDeps): Promise<RunningService> {
  const { config, logger } = deps;
  // Before anything listens: a failure here leaves nothing to clean up.
  let fromCluster: RequestHeaderSettings | undefined;
  if (config.externalMetrics?.requestHeader.fromCluster) {
    const api = deps.kubernetesApi ?? IN_CLUSTER_API;
    fromCluster = await fetchRequestHeaderSettings({
      url: api.url,
      token: readPem(api.tokenFile, 'serviceaccount token').trim(),
      ca: readPem(api.caFile, 'serviceaccount ca.crt'),
    });
    logger.info({ allowedNames: fromCluster.allowedNames, hasCA: fromCluster.clientCA !== undefined }, 'read kube-system/extension-apiserver-authentication');
  }
  const app = buildApp(deps);
  const { host, port, shutdownGrace } = config.server;
  const server = app.http.listen(port, host);
  const boundPort = await listening(server, port);
  logger.info({ host, port: boundPort }, 'prescale listening');
  const clock = deps.clock ?? systemClock;
  let externalMetrics: RunningService['externalMetrics'];
  if (config.externalMetrics) {
    const em = config.externalMetrics;
    const tls = servingTls({ files: em.tls, field: 'externalMetrics.tls', hostnames: ['localhost', '127.0.0.1'], nowMs: clock.now(), logger });
    const https = createExternalMetricsServer({
      config: em,
      ...(fromCluster ? { fromCluster } : {}),
      tls,
      metrics: app.metrics,
      logger: logger.child({ component: 'external-metrics' }),
      ready: () => app.forecasts.isReady(),
      observe: externalMetricsRequestMetrics(app.registry),
    });
    https.listen(em.port, em.host);
    externalMetrics = { server: https, port: await listening(https, em.port) };
    logger.info({ host: em.host, port: externalMetrics.port }, 'external metrics API (HTTPS) listening');
  }
  let keda: RunningService['keda'];
  if (config.keda) {
    const k = config.keda;
    const tls = k.tls
      ? {
          cert: readPem(k.tls.certFile, 'keda.tls.certFile'),
          key: readPem(k.tls.keyFile, 'keda.tls.keyFile'),
          ...(k.tls.clientCAFile ? { clientCA: readPem(k.tls.clientCAFile, 'keda.tls.clientCAFile') } : {}),
        }
      : undefined;
    keda = await startExternalScalerServer({
      host: k.host,
      port: k.grpcPort,
      metrics: app.metrics,
      logger: logger.child({ component: 'keda' }),
      streamIntervalMs: 5_000,
      ...(tls ? { tls } : {}),
    });
    logger.info({ host: k.host, port: keda.port, tls: tls !== undefined }, 'KEDA external scaler (gRPC) listening');
  }
  const started = app.start().catch((err: unknown) => logger.error({ err }, 'first forecast pass failed'));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const graceMs = shutdownGrace * 1000;
      await Promise.all([
        drain(server, graceMs),
        externalMetrics ? drain(externalMetrics.server, graceMs) : undefined,
        keda ? drainGrpc(keda.server, graceMs) : undefined,
      ]);
      await started;
      await app.close();
      logger.info('prescale stopped');
    })());
  return { app, server, port: boundPort, ...(externalMetrics ? { externalMetrics } : {}), ...(keda ? { keda } : {}), stop };
}

async function listening(server: Server | HttpsServer, configured: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : configured;
}

/** Closes the listener and idle keep-alive sockets, waits for in-flight requests, then forces the rest. */
async function drain(server: Server | HttpsServer, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}

/** Lets in-flight RPCs finish (open streams included, up to the grace period), then cancels the rest. */
async function drainGrpc(server: GrpcServer, graceMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
