import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, serve } from '../../../main/serve';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { readTrace } from '../../helpers/trace-file';

/**
 * What a gated minute series publishes, end to end: the real service (SQLite history, the JSON
 * accuracy file, REST over HTTP, the metrics-api value) on a shipped minute trace, with a gate
 * set to engage at once (q0.9 must cover 99 % of actuals, which no forecast does). Once held,
 * every point is the reactive demand: the peak load over the 5-minute observation-floor window,
 * which right after a local peak is above the last observation.
 */
const trace = readTrace('mscm_mongodb_app_qps_01.csv');
const WARM = 1440;

let dir: string;
let running: RunningService;
let url: string;
const clock = new ManualClock(trace[WARM - 1]!.t + 30_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-trust-reactive-'));
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, shutdownGrace: '1s' },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal-naive', refreshDebounce: 600 },
    series: [{ name: 'qps', step: '1m', horizon: '15m', history: '2d', seasonalities: ['daily'], staleAfter: 1000, trustGate: { minPoints: 10, minCoverage: 0.99, recoverCoverage: 0.99 } }],
  });
  running = await serve({ config, logger: createLogger({ level: 'silent' }), clock, runner: new InProcessForecastRunner() });
  url = `http://127.0.0.1:${running.port}`;
  await running.app.forecasts.ingest('qps', trace.slice(0, WARM));
  await running.app.forecasts.refit('qps');
}, 60_000);
afterAll(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function get<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function step(i: number): Promise<void> {
  clock.set(trace[i]!.t + 30_000);
  await running.app.forecasts.ingest('qps', [trace[i]!]);
  await running.app.forecasts.refit('qps');
}

interface ForecastBody {
  lastObserved: { t: string; v: number };
  trustFallback?: { reason: string; detail: string };
  points: { value: number; quantiles: Record<string, number> }[];
}

it('while the gate holds, every point is the peak of the last 5 minutes, not the last observation', async () => {
  let i = WARM;
  // Until the gate holds (10 scored targets), then on to the first step after a local peak.
  for (; i < WARM + 40; i++) {
    await step(i);
    if ((await get<ForecastBody>('/v1/forecasts/qps')).trustFallback) break;
  }
  expect((await get<ForecastBody>('/v1/forecasts/qps')).trustFallback?.reason).toBe('coverage');
  const peakOf = (n: number): number => Math.max(...trace.slice(Math.max(0, n - 10), n + 1).filter((s) => s.t >= trace[n]!.t - 300_000).map((s) => s.v));
  for (i++; i < WARM + 400 && !(peakOf(i) > trace[i]!.v); i++) await step(i);
  await step(i);
  const view = await get<ForecastBody>('/v1/forecasts/qps');
  expect(view.trustFallback?.detail).toContain('reactive demand');
  expect(view.lastObserved.v).toBe(trace[i]!.v);
  const peak = peakOf(i);
  expect(peak).toBeGreaterThan(view.lastObserved.v);
  expect(view.points.every((p) => p.value === peak && Object.values(p.quantiles).every((q) => q === peak))).toBe(true);
  const metric = await get<{ value: number; fallback?: string }>('/v1/metrics-api/qps?quantile=0.9');
  expect(metric).toEqual(expect.objectContaining({ value: peak, fallback: 'trust-gate' }));
}, 120_000);
