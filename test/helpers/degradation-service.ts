import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, serve } from '../../main/serve';
import { parseConfig } from '../../src/config/load-config';
import { type ForecastRunner, InProcessForecastRunner } from '../../src/forecast/forecast-runner';
import { createLogger } from '../../src/telemetry/logger';
import { ManualClock } from './manual-clock';

/** 2026-08-20T21:00:30Z: the daily load below is rising, so a forecast runs above the last observation. */
export const DEGRADATION_NOW_MS = Date.UTC(2026, 7, 20, 21, 0, 30);
const DAY_MS = 86_400_000;
export const CAPACITY_PER_REPLICA = 5;

/** A daily sine around 100 (40..160), one sample a minute. */
export const dailyLoad = (tMs: number): number => 100 + 60 * Math.sin((2 * Math.PI * (tMs % DAY_MS)) / DAY_MS);

/** The real service (REST, plans, metric providers, SQLite) under a hand-moved clock. */
export interface DegradationService {
  running: RunningService;
  url: string;
  clock: ManualClock;
  /** GET a path; the JSON body, typed loosely because tests assert it field by field. */
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Series `api` (1m step, 30m horizon, stale after 5 steps) with the pool `gpu` sized on it
 * (5 per replica, no headroom, 2m lead time), and `empty`, which never gets a sample. `api`
 * holds three days of `dailyLoad` up to now unless `history: false`.
 */
export async function startDegradationService(options: { runner?: ForecastRunner; history?: boolean } = {}): Promise<DegradationService> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-degradation-'));
  const clock = new ManualClock(DEGRADATION_NOW_MS);
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, shutdownGrace: '1s' },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal', refreshDebounce: 600 },
    series: [
      { name: 'api', step: '1m', horizon: '30m', staleAfter: 5, history: '3d', seasonalities: ['daily'], quantiles: [0.5, 0.9] },
      { name: 'empty', step: '1m', horizon: '30m' },
    ],
    pools: [{ name: 'gpu', series: 'api', quantile: 0.9, capacityPerReplica: CAPACITY_PER_REPLICA, headroom: 0, leadTime: '2m', minReplicas: 1, maxReplicas: 100 }],
  });
  const running = await serve({ config, logger: createLogger({ level: 'silent' }), clock, runner: options.runner ?? new InProcessForecastRunner() });
  if (options.history !== false) {
    const samples = [];
    for (let t = DEGRADATION_NOW_MS - 3 * DAY_MS; t <= DEGRADATION_NOW_MS - 30_000; t += 60_000) samples.push({ t, v: dailyLoad(t) });
    await running.app.forecasts.ingest('api', samples);
  }
  await running.app.forecasts.refreshAll();
  const url = `http://127.0.0.1:${running.port}`;
  return {
    running,
    url,
    clock,
    async get(path) {
      const res = await fetch(`${url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
