import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config';
import { InProcessForecastRunner } from '../../src/forecast/forecast-runner';
import { type RunningService, serve } from '../../main/serve';
import { createLogger } from '../../src/telemetry/logger';
import type { Clock } from '../../src/time/clock';
import { TestPki } from './pki';

/** 2026-08-20T12:00:30Z: the fixed "now" of serving tests. */
export const NOW_MS = Date.UTC(2026, 7, 20, 12, 0, 30);
const DAY_MS = 86_400_000;

/** A daily sine around 100 (40..160), one sample a minute. */
export function dailyLoad(tMs: number): number {
  return 100 + 60 * Math.sin((2 * Math.PI * (tMs % DAY_MS)) / DAY_MS);
}

export interface ServingFixture {
  running: RunningService;
  dir: string;
  pki: TestPki;
  /** Front-proxy client certificate (CN front-proxy-client) signed by the request-header CA. */
  frontProxy: { cert: string; key: string };
  /** The request-header CA file. */
  caFile: string;
  /** CA of the serving certificate (for clients that verify it). */
  servingCa: string;
  /** CA of client certificates for direct calls (user = CN). */
  clientPki: TestPki;
  token: string;
  close(): Promise<void>;
}

/**
 * The real service (SQLite file, HTTP, HTTPS and gRPC servers on ephemeral ports) with a
 * fixed clock and three days of history for `queue-depth`, waited on until the first
 * forecast pass is done.
 */
export async function startServingFixture(overrides: { externalMetrics?: object; keda?: object } = {}): Promise<ServingFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-k8s-'));
  const pki = new TestPki('front-proxy-ca');
  const caFile = join(dir, 'front-proxy-ca.crt');
  writeFileSync(caFile, pki.ca.cert);
  const frontProxy = pki.leaf({ commonName: 'front-proxy-client', usage: 'client' });
  const servingPki = new TestPki('serving-ca');
  const serving = servingPki.leaf({ commonName: 'prescale.prescale.svc', usage: 'server', altNames: ['localhost', '127.0.0.1', 'prescale.prescale.svc'] });
  writeFileSync(join(dir, 'tls.crt'), serving.cert);
  writeFileSync(join(dir, 'tls.key'), serving.key);
  const clientPki = new TestPki('client-ca');
  writeFileSync(join(dir, 'client-ca.crt'), clientPki.ca.cert);
  const token = 'direct-caller-token-0123456789';
  writeFileSync(join(dir, 'token'), `${token}\n`);
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, shutdownGrace: '2s' },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal-naive' },
    series: [
      { name: 'queue-depth', step: '1m', horizon: '1h', seasonalities: ['daily'], history: '3d', staleAfter: 1000 },
      { name: 'idle-queue', step: '1m', horizon: '1h', seasonalities: ['daily'], history: '3d', staleAfter: 1000 },
    ],
    externalMetrics: {
      host: '127.0.0.1',
      port: 0,
      tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
      requestHeader: { clientCAFile: caFile, allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'] },
      auth: {
        clientCAFile: join(dir, 'client-ca.crt'),
        clientCertNamespaces: { 'limited-user': ['default'] },
        bearerTokens: [{ user: 'dashboards', tokenFile: join(dir, 'token'), namespaces: ['shop'] }],
      },
      namespaces: ['shop', 'default'],
      ...overrides.externalMetrics,
    },
    keda: { host: '127.0.0.1', grpcPort: 0, ...overrides.keda },
  });
  const clock: Clock = { now: () => NOW_MS };
  const logger = createLogger({ level: 'silent' });
  const running = await serve({ config, logger, clock, runner: new InProcessForecastRunner() });
  const samples = [];
  for (let t = NOW_MS - 3 * DAY_MS; t <= NOW_MS - 30_000; t += 60_000) samples.push({ t, v: dailyLoad(t) });
  await running.app.forecasts.ingest('queue-depth', samples);
  await running.app.forecasts.ingest('idle-queue', samples.map((s) => ({ t: s.t, v: 0 })));
  await running.app.forecasts.refreshAll();
  return {
    running,
    dir,
    pki,
    frontProxy,
    caFile,
    servingCa: servingPki.ca.cert,
    clientPki,
    token,
    async close() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
