import { Registry } from 'prom-client';
import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastService } from '../../../src/forecast/forecast-service';
import { WorkerForecastRunner } from '../../../src/forecast/worker-forecast-runner';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { demoRate } from '../../../src/demo/demo-rate';
import { tempDir } from '../../helpers/test-server';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const MINUTE = 60_000;

let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;
let service: ForecastService;
const opened: ForecastService[] = [];

function makeService(model: 'seasonal' | 'seasonal-naive' = 'seasonal'): ForecastService {
  const config = parseConfig({
    forecast: { model, refreshDebounce: 0.02 },
    series: [{ name: 'api', step: '1m', horizon: '30m' }],
  });
  const created = new ForecastService({
    config,
    store,
    runner: new InProcessForecastRunner(),
    clock: { now: () => NOW },
    logger: createLogger({ level: 'silent' }),
    metrics: createServiceMetrics(new Registry()),
  });
  opened.push(created);
  return created;
}

/** One-minute samples for the `count` minutes up to NOW's minute. */
function history(count: number) {
  const end = Math.floor(NOW / MINUTE) * MINUTE;
  return Array.from({ length: count }, (_, i) => {
    const t = end - (count - 1 - i) * MINUTE;
    return { t, v: demoRate(t, 1) };
  });
}

function errorOf(run: () => unknown): PrescaleError {
  try {
    run();
  } catch (err) {
    if (err instanceof PrescaleError) return err;
    throw err;
  }
  throw new Error('expected a PrescaleError');
}

beforeEach(() => {
  dir = tempDir('service');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  store.close();
  dir.remove();
});

describe('forecast service', () => {
  it('serves the last observation before the first refresh, and the configured model after it', async () => {
    service = makeService();
    await service.ingest('api', history(600));

    expect(service.forecast('api')).toMatchObject({ model: 'last-observation', lastObserved: history(600)[599] });
    await service.refreshAll();

    const f = service.forecast('api');
    expect(service.isReady()).toBe(true);
    expect(f.model).toBe('seasonal');
    expect(f.lastObserved).toEqual(history(600)[599]);
    expect(f.points.length).toBeGreaterThanOrEqual(29);
  });

  it('refreshes on its own after new samples arrive (debounced)', async () => {
    service = makeService();
    await service.ingest('api', history(600));

    // No refit is asked for: the debounced refresh comes by itself (its first read also starts the history read worker).
    const s = service;
    for (let i = 0; i < 100 && !(await s.seriesState()).some((st) => st.series === 'api' && st.forecastAgeSeconds !== null); i++) await new Promise((r) => setTimeout(r, 100));

    expect(service.forecast('api').generatedAtMs).toBe(NOW);
  });

  it('serves one view per step, and a new one after the next step or a new sample', async () => {
    let now = NOW;
    const config = parseConfig({ forecast: { refreshDebounce: 60 }, series: [{ name: 'api', step: '1m', horizon: '30m' }] });
    service = new ForecastService({
      config,
      store,
      runner: new InProcessForecastRunner(),
      clock: { now: () => now },
      logger: createLogger({ level: 'silent' }),
      metrics: createServiceMetrics(new Registry()),
    });
    opened.push(service);
    await service.ingest('api', history(600));
    await service.refreshAll();

    const first = service.forecast('api');
    now += 20_000;
    expect(service.forecast('api')).toBe(first);

    now += MINUTE;
    const nextStep = service.forecast('api');
    expect(nextStep).not.toBe(first);
    expect(nextStep.points.at(-1)!.t).toBe(first.points.at(-1)!.t + MINUTE);

    await service.ingest('api', [{ t: Math.floor(now / MINUTE) * MINUTE, v: 1234 }]);
    expect(service.forecast('api')).not.toBe(nextStep);
  });

  it('falls back to seasonal-naive when the configured model lacks history, and says why', async () => {
    service = makeService();
    await service.ingest('api', history(2));

    await service.refreshAll();
    const f = service.forecast('api');

    expect(f.model).toBe('seasonal-naive');
    expect(f.fallbackReason).toMatch(/seasonal needs at least 3 values, got 2/);
  });

  it('is ready after the first pass even for a series without samples, which still has no forecast', async () => {
    service = makeService();

    await service.refreshAll();

    expect(service.isReady()).toBe(true);
    expect(errorOf(() => service.forecast('api')).code).toBe('FORECAST_NOT_READY');
    expect((await service.listSeries())[0]).toMatchObject({ name: 'api', count: 0, firstMs: null, hasForecast: false, freshness: { stale: true, ageSeconds: null } });
  });

  it.each<[string, () => unknown, string, string]>([
    ['an unknown series on ingest', () => service.ingest('nope', history(1)), 'SERIES_NOT_FOUND', 'name'],
    ['an unknown series on read', () => service.forecast('nope'), 'SERIES_NOT_FOUND', 'name'],
    ['a horizon beyond the configured one', () => service.forecast('api', 31 * 60), 'INVALID_INPUT', 'horizon'],
  ])('refuses %s', async (_label, run, code, field) => {
    service = makeService();

    // The ingest path is async (the store may be remote): its refusal is a rejection.
    await expect(Promise.resolve().then(run)).rejects.toMatchObject({ code, field });
  });
});

describe('worker forecast runner', () => {
  it('runs a fit on a worker thread and returns the same forecast as in-process', async () => {
    const runner = new WorkerForecastRunner();
    const values = history(600).map((s) => s.v);
    const job = { model: 'seasonal', series: { startMs: 0, stepSeconds: 60, values, timezone: 'UTC' }, horizonSteps: 5, quantiles: [0.5, 0.9], seasonalities: ['daily' as const] };
    try {
      expect(await runner.run(job)).toEqual(await new InProcessForecastRunner().run(job));
    } finally {
      await runner.close();
    }
  });

  it('passes too little history back as an InsufficientHistoryError, so the service can fall back', async () => {
    const runner = new WorkerForecastRunner();
    try {
      const run = runner.run({ model: 'seasonal', series: { startMs: 0, stepSeconds: 60, values: [1, 2], timezone: 'UTC' }, horizonSteps: 5, quantiles: [0.5], seasonalities: [] });

      await expect(run).rejects.toBeInstanceOf(InsufficientHistoryError);
      await expect(run).rejects.toMatchObject({ required: 3, actual: 2 });
    } finally {
      await runner.close();
    }
  });
});
