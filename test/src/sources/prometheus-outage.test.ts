/**
 * The service end to end with a REAL Prometheus as the source: backfill, forecast, an
 * outage (Prometheus stopped), fallback to the last observation, and catch-up on restart.
 * "Now" is an injected clock inside the trace's time range (June 2018).
 */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { RealPrometheus } from '../../helpers/real-prometheus';
import { readTrace } from '../../helpers/trace-file';

const TRACE = readTrace('mscm_mongodb_machine_qps.csv');
const VALUE_AT = new Map(TRACE.map((s) => [s.t, s.v]));
const MINUTE = 60_000;
const START = Date.parse('2018-06-22T12:00:20Z');

describe('Prometheus as the history source', () => {
  const prom = new RealPrometheus();
  const dataDir = mkdtempSync(join(tmpdir(), 'prescale-outage-'));
  const clock = new ManualClock(START);
  let app: PrescaleApp;
  let server: Server;
  let base: string;

  // Response bodies are asserted field by field, so a loose JSON type is enough here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    await prom.backfill([{ metric: 'mongodb_qps', labels: { instance: 'db-1' }, samples: TRACE }]);
    await prom.start();
    const config = parseConfig({
      storage: { dataDir },
      forecast: { refreshDebounce: 1 },
      series: [
        {
          name: 'db-qps',
          step: '1m',
          kind: 'gauge',
          history: '3d',
          horizon: '30m',
          staleAfter: 5,
          seasonalities: ['daily'],
          source: { prometheus: { url: prom.url, query: 'sum(mongodb_qps)', retries: 1 } },
        },
      ],
    });
    app = buildApp({
      config,
      logger: createLogger({ level: 'silent' }),
      clock,
      runner: new InProcessForecastRunner(),
      sourceOptions: { retryBaseDelayMs: 5, retryMaxDelayMs: 10 },
      schedulePulls: false, // the test moves the clock and pulls itself
    });
    server = app.http.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await app.start();
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await app.close();
    await prom.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('backfills the history window with exactly the values Prometheus holds, step-aligned', async () => {
    const stored = await app.store.read('db-qps');
    const expectedFrom = START - (START % MINUTE) - 3 * 86_400_000;
    expect(stored[0]!.t).toBe(expectedFrom);
    expect(stored[stored.length - 1]!.t).toBe(START - (START % MINUTE));
    expect(stored).toHaveLength(3 * 1440 + 1);
    for (const s of stored) expect(s.v).toBe(VALUE_AT.get(s.t));
  });

  it('forecasts from the pulled history, fresh and never below the latest observation', async () => {
    const { status, body } = await get('/v1/forecasts/db-qps');
    expect(status).toBe(200);
    expect(body.stale).toBe(false);
    expect(body.lastObserved.v).toBe(VALUE_AT.get(START - (START % MINUTE)));
    expect(body.points.length).toBeGreaterThanOrEqual(30);
    expect(body.points[0].value).toBeGreaterThanOrEqual(body.lastObserved.v);
    // A real forecast varies over the horizon; the stale fallback below is flat.
    expect(new Set(body.points.map((p: { value: number }) => p.value)).size).toBeGreaterThan(1);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.details.sources['db-qps'].state).toBe('up');
  });

  it('when Prometheus stops, serving continues, the source is down, the series goes stale and values are floored at the last observation', async () => {
    await prom.stop();
    const lastBefore = (await app.store.last('db-qps'))!;
    clock.advance(10 * MINUTE);
    await app.pulls.pullAll();

    const ready = await get('/readyz');
    expect(ready.status).toBe(200); // a replica without its source still serves
    expect(ready.body.details.sources['db-qps']).toMatchObject({ state: 'down', consecutiveFailures: 1 });
    expect(ready.body.details.sources['db-qps'].lastError).toContain('sum(mongodb_qps)');

    const f = await get('/v1/forecasts/db-qps');
    expect(f.status).toBe(200);
    expect(f.body.stale).toBe(true);
    expect(f.body.lastObserved.v).toBe(lastBefore.v);
    // The last good forecast floored at the last observation (docs/degradation.md, row 1).
    for (const p of f.body.points) {
      expect(p.value).toBeGreaterThanOrEqual(lastBefore.v);
      for (const q of Object.values(p.quantiles) as number[]) expect(q).toBeGreaterThanOrEqual(lastBefore.v);
    }

    const metrics = (await get('/metrics')).body as string;
    expect(metrics).toContain('prescale_source_up{series="db-qps"} 0');
    expect(metrics).toContain('prescale_series_stale{series="db-qps"} 1');
    expect(metrics).toContain(`prescale_forecast_value{series="db-qps"} ${f.body.points[0].value}`);

    const status = await get('/v1/status');
    expect(status.body.sources[0]).toMatchObject({ series: 'db-qps', state: 'down', backfilled: true });
  });

  it('when Prometheus comes back, the gap is filled and staleness clears', async () => {
    await prom.start();
    await app.pulls.pullAll();
    const now = clock.now();
    const gap = await app.store.read('db-qps', { fromMs: now - 11 * MINUTE, toMs: now });
    expect(gap.map((s) => s.t)).toEqual(Array.from({ length: 11 }, (_, i) => now - (now % MINUTE) - (10 - i) * MINUTE));
    for (const s of gap) expect(s.v).toBe(VALUE_AT.get(s.t));

    await app.forecasts.refit('db-qps');
    const f = await get('/v1/forecasts/db-qps');
    expect(f.body.stale).toBe(false);
    expect(f.body.lastObserved.t).toBe(new Date(now - (now % MINUTE)).toISOString());
    const metrics = (await get('/metrics')).body as string;
    expect(metrics).toContain('prescale_source_up{series="db-qps"} 1');
    expect(metrics).toContain('prescale_series_stale{series="db-qps"} 0');
    expect((await get('/readyz')).body.details.sources['db-qps']).toMatchObject({ state: 'up', consecutiveFailures: 0, lastError: null });
  });
});
