import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { type RequestHeaderSettings, fetchRequestHeaderSettings } from '../api/external-metrics/authentication-config-map';
import { createExternalMetricsServer } from '../api/external-metrics/external-metrics-server';
import { externalMetricsRequestMetrics } from '../api/external-metrics/request-metrics';
import { startExternalScalerServer } from '../api/keda/external-scaler-server';
import { checkedPemPair, readPem, servingTls } from '../api/tls/serving-tls';
import type { KubernetesApiFiles } from '../api/auth/token-review-authenticator';
import { type AppDeps, type PrescaleApp, buildApp } from './app';
import { IN_CLUSTER_API } from './in-cluster-api';
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
  /**
   * Settles when the start-up work that runs after listening is done (migrations, the
   * actuator and its metrics, the first forecast pass). Never rejects: a failed first pass is
   * logged, and the service serves on.
   */
  started: Promise<void>;
  /** Stops accepting connections, drains in-flight requests (up to the grace period), closes the store. */
  stop(): Promise<void>;
}

export interface ServeDeps extends AppDeps {
  /** Kubernetes API access for `externalMetrics.requestHeader.fromCluster` and TokenReview; defaults to the in-cluster service account. */
  kubernetesApi?: KubernetesApiFiles;
}

/**
 * Builds the app and listens on the configured addresses; the first forecast pass runs in the background.
 * Every file (certificates, keys, CAs, tokens) is read before anything listens, and a failure
 * after that stops whatever had started, so a start-up failure rejects and leaves no handle
 * behind: the CLI then exits (2 for configuration) instead of living on unready.
 * @throws {PrescaleError} INVALID_CONFIG for an unreadable or invalid file.
 */
export async function serve(deps: ServeDeps): Promise<RunningService> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const kedaTls = config.keda?.tls ? readKedaTls(config.keda.tls) : undefined;
  const emTls = config.externalMetrics
    ? servingTls({ files: config.externalMetrics.tls, field: 'externalMetrics.tls', hostnames: ['localhost', '127.0.0.1'], nowMs: clock.now(), logger })
    : undefined;
  let fromCluster: RequestHeaderSettings | undefined;
  if (config.externalMetrics?.requestHeader.fromCluster) {
    const api = deps.kubernetesApi ?? IN_CLUSTER_API;
    fromCluster = await fetchRequestHeaderSettings({
      url: api.url,
      token: readPem(api.tokenFile, 'serviceaccount token').trim(),
      ca: api.caFile ? readPem(api.caFile, 'serviceaccount ca.crt') : '',
    });
    logger.info({ allowedNames: fromCluster.allowedNames, hasCA: fromCluster.clientCA !== undefined }, 'read kube-system/extension-apiserver-authentication');
  }
  const app = buildApp(deps);
  const { host, port, shutdownGrace } = config.server;
  let server: Server | undefined;
  let externalMetrics: RunningService['externalMetrics'];
  let keda: RunningService['keda'];
  let boundPort: number;
  try {
    // Built before any listener: its CA and token files are read here.
    const https = config.externalMetrics && emTls
      ? createExternalMetricsServer({
          config: config.externalMetrics,
          ...(fromCluster ? { fromCluster } : {}),
          tls: emTls,
          metrics: app.metrics,
          logger: logger.child({ component: 'external-metrics' }),
          ready: () => app.forecasts.isReady(),
          observe: externalMetricsRequestMetrics(app.registry),
        })
      : undefined;
    server = app.http.listen(port, host);
    boundPort = await listening(server, port);
    logger.info({ host, port: boundPort }, 'prescale listening');
    if (config.externalMetrics && https) {
      const em = config.externalMetrics;
      https.listen(em.port, em.host);
      externalMetrics = { server: https, port: await listening(https, em.port) };
      logger.info({ host: em.host, port: externalMetrics.port }, 'external metrics API (HTTPS) listening');
    }
    if (config.keda) {
      const k = config.keda;
      keda = await startExternalScalerServer({
        host: k.host,
        port: k.grpcPort,
        metrics: app.metrics,
        logger: logger.child({ component: 'keda' }),
        streamIntervalMs: 5_000,
        ...(kedaTls ? { tls: kedaTls } : {}),
      });
      logger.info({ host: k.host, port: keda.port, tls: kedaTls !== undefined, mtls: kedaTls?.clientCA !== undefined }, 'KEDA external scaler (gRPC) listening');
    }
  } catch (err) {
    logger.warn('start-up failed: stopping the listeners and the store before reporting it');
    await Promise.all([server ? drain(server, 0) : undefined, externalMetrics ? drain(externalMetrics.server, 0) : undefined, keda ? drainGrpc(keda.server, 0) : undefined]);
    await app.close();
    throw err;
  }
  const listener = server;
  const started = app.start().catch((err: unknown) => logger.error({ err }, 'first forecast pass failed'));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const graceMs = shutdownGrace * 1000;
      await Promise.all([
        drain(listener, graceMs),
        externalMetrics ? drain(externalMetrics.server, graceMs) : undefined,
        keda ? drainGrpc(keda.server, graceMs) : undefined,
      ]);
      await started;
      await app.close();
      logger.info('prescale stopped');
    })());
  return { app, server: listener, port: boundPort, ...(externalMetrics ? { externalMetrics } : {}), ...(keda ? { keda } : {}), started, stop };
}

/** The KEDA scaler's PEM material. With `clientCAFile`, the gRPC server requires and verifies a client certificate (mTLS). */
function readKedaTls(tls: NonNullable<NonNullable<ServeDeps['config']['keda']>['tls']>): { cert: string; key: string; clientCA?: string } {
  const pair = checkedPemPair({ cert: readPem(tls.certFile, 'keda.tls.certFile'), key: readPem(tls.keyFile, 'keda.tls.keyFile') }, 'keda.tls');
  return { ...pair, ...(tls.clientCAFile ? { clientCA: readPem(tls.clientCAFile, 'keda.tls.clientCAFile') } : {}) };
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
  // close() calls back with ERR_SERVER_NOT_RUNNING when listen failed: nothing to wait for then.
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
