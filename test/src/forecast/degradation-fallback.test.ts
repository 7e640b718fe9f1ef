import { Worker } from 'node:worker_threads';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load-config';
import { type ForecastJob, type ForecastRunner, InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastService } from '../../../src/forecast/forecast-service';
import { NO_FORECAST_REASON } from '../../../src/forecast/published-forecast';
import type { ForecastProtocol } from '../../../src/forecast/worker-forecast-runner';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { WorkerClient } from '../../../src/workers/worker-client';
import { CAPACITY_PER_REPLICA, DEGRADATION_NOW_MS, type DegradationService, dailyLoad, startDegradationService } from '../../helpers/degradation-service';
import { ManualClock } from '../../helpers/manual-clock';
import { tempDir } from '../../helpers/test-server';

/** docs/degradation.md, rows 3 and 4: a failing model or a dead worker never becomes an error while a sample exists. */
const MINUTE = 60_000;

/** Every model throws, as a model with a bug would. */
const everyModelFails: ForecastRunner = {
  run: () => Promise.reject(Object.assign(new Error('model exploded'), { code: 'MODEL_FAILED' })),
  close: async () => {},
};

/** A real worker thread that dies on its first job, the way an out-of-memory or native crash ends one. */
function dyingWorkerRunner(): ForecastRunner {
  const client = new WorkerClient<ForecastProtocol>({ name: 'forecast worker', slots: 1, startWorker: () => new Worker('process.exit(3)', { eval: true }) });
  return { run: (job) => client.request('forecast', job), close: () => client.close() };
}

/** Delegates to whichever runner the test set last. */
class SwitchableRunner implements ForecastRunner {
  constructor(public current: ForecastRunner) {}
  run(job: ForecastJob) {
    return this.current.run(job);
  }
  close() {
    return this.current.close();
  }
}

describe('row 3 over HTTP: every model fails', () => {
  let svc: DegradationService;
  beforeAll(async () => {
    svc = await startDegradationService({ runner: everyModelFails });
  });
  afterAll(() => svc.close());

  it('serves the last observation with a visible reason, on REST, the metric and the plan', async () => {
    const last = dailyLoad(DEGRADATION_NOW_MS - MINUTE); // the newest of the pushed samples
    const forecast = await svc.get('/v1/forecasts/api');
    const metric = await svc.get('/v1/metrics-api/api');
    const plan = await svc.get('/v1/plans/gpu');

    expect(forecast.status).toBe(200);
    expect(forecast.body).toMatchObject({ model: 'last-observation', stale: false, fallbackReason: NO_FORECAST_REASON });
    const points = forecast.body['points'] as { value: number; quantiles: Record<string, number> }[];
    expect(points).toHaveLength(31);
    for (const p of points) expect(p).toMatchObject({ value: last, quantiles: { '0.5': last, '0.9': last } });
    expect(metric).toMatchObject({ status: 200, body: { value: last, stale: false } });
    const steps = plan.body['steps'] as { replicas: number }[];
    for (const s of steps) expect(s.replicas).toBeGreaterThanOrEqual(Math.ceil(last / CAPACITY_PER_REPLICA));
  });
});

describe('row 3 in the forecast service: the ladder', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteHistoryStore;
  let service: ForecastService;
  let registry: Registry;
  const clock = new ManualClock(DEGRADATION_NOW_MS);
  const runner = new SwitchableRunner(new InProcessForecastRunner());

  beforeEach(async () => {
    dir = tempDir('degradation');
    store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
    registry = new Registry();
    clock.set(DEGRADATION_NOW_MS);
    runner.current = new InProcessForecastRunner();
    service = new ForecastService({
      config: parseConfig({ forecast: { model: 'seasonal', refreshDebounce: 600 }, series: [{ name: 'api', step: '1m', horizon: '30m', history: '1d', seasonalities: ['daily'] }] }),
      store,
      runner,
      clock,
      logger: createLogger({ level: 'silent' }),
      metrics: createServiceMetrics(registry),
    });
    const samples = [];
    for (let t = DEGRADATION_NOW_MS - 86_400_000; t <= DEGRADATION_NOW_MS - 30_000; t += MINUTE) samples.push({ t, v: dailyLoad(t) });
    await service.ingest('api', samples);
    await service.refreshAll();
  });
  afterEach(async () => {
    await service.close();
    store.close();
    dir.remove();
  });

  it('a forecast worker that dies keeps the previous forecast serving', async () => {
    const before = service.forecast('api');
    expect(before.model).toBe('seasonal');
    runner.current = dyingWorkerRunner();
    clock.advance(MINUTE);
    await service.ingest('api', [{ t: DEGRADATION_NOW_MS + 30_000, v: 99 }]);

    await expect(service.refit('api')).rejects.toThrow(/exited with code 3/);

    const after = service.forecast('api');
    expect(after).toMatchObject({ model: 'seasonal', generatedAtMs: before.generatedAtMs, stale: false });
    await runner.current.close();
  });

  it('a model that fails once the previous forecast no longer covers the horizon gives way to seasonal-naive, counted', async () => {
    const onlyNaive: ForecastRunner = {
      run: (job) => (job.model === 'seasonal-naive' ? new InProcessForecastRunner().run(job) : Promise.reject(new Error('model exploded'))),
      close: async () => {},
    };
    runner.current = onlyNaive;
    clock.advance(60 * MINUTE);
    await service.ingest('api', [{ t: clock.now() - 30_000, v: 99 }]);

    await service.refit('api');

    const f = service.forecast('api');
    expect(f.model).toBe('seasonal-naive');
    expect(f.fallbackReason).toMatch(/seasonal failed \(model exploded\); seasonal-naive answered/);
    expect(await registry.metrics()).toContain('prescale_forecast_fallbacks_total{series="api",reason="model_failed"} 1');
  });

  it('when every model fails and the previous forecast has run out, serves the last observation, never an error', async () => {
    runner.current = everyModelFails;
    clock.advance(3 * 60 * MINUTE);
    await service.ingest('api', [{ t: clock.now() - 30_000, v: 77 }]);

    await expect(service.refit('api')).rejects.toThrow('model exploded');

    const f = service.forecast('api');
    expect(f.stale).toBe(false);
    expect(f.points.length).toBe(31);
    for (const p of f.points) expect(p.value).toBe(77);
  });
});

describe('row 4: no history at all', () => {
  let svc: DegradationService;
  beforeAll(async () => {
    svc = await startDegradationService({ history: false });
  });
  afterAll(() => svc.close());

  it('answers the documented 503 FORECAST_NOT_READY on REST and the metric, 404 for an unknown series, and a value once one sample exists', async () => {
    expect(await svc.get('/v1/forecasts/empty')).toMatchObject({ status: 503, body: { code: 'FORECAST_NOT_READY' } });
    expect(await svc.get('/v1/metrics-api/empty')).toMatchObject({ status: 503, body: { code: 'FORECAST_NOT_READY' } });
    expect((await svc.get('/v1/forecasts/nope')).status).toBe(404);
    const plan = await svc.get('/v1/plans/gpu');
    expect(plan.status).toBe(200);
    expect(plan.body['forecast']).toMatchObject({ stale: true, model: null });

    await svc.running.app.forecasts.ingest('empty', [{ t: DEGRADATION_NOW_MS - 30_000, v: 5 }]);

    expect(await svc.get('/v1/forecasts/empty')).toMatchObject({ status: 200, body: { model: 'last-observation' } });
    expect(await svc.get('/v1/metrics-api/empty')).toMatchObject({ status: 200, body: { value: 5 } });
  });
});
