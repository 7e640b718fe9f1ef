import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load-config';
import { ForecastCache } from '../../../src/forecast/cached-forecast';
import { type ForecastRunner, InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastRefresher } from '../../../src/forecast/forecast-refresher';
import { NewestSamples } from '../../../src/forecast/newest-samples';
import { SeriesCatalog } from '../../../src/forecast/series-catalog';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { tempDir } from '../../helpers/test-server';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 26, 12);
const rawConfig = { forecast: { model: 'seasonal-naive', refreshDebounce: 60 }, series: [{ name: 'api', step: '1m', horizon: '10m', history: '1h' }] };
const config = parseConfig(rawConfig);

let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;
let refresher: ForecastRefresher | null = null;

beforeEach(() => {
  dir = tempDir('refresher');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
});
afterEach(async () => {
  await refresher?.close();
  refresher = null;
  store.close();
  dir.remove();
});

/** `count` one-minute samples ending at NOW. */
function minutes(count: number) {
  return Array.from({ length: count }, (_, i) => ({ t: NOW - (count - 1 - i) * MINUTE, v: 10 + (i % 5) }));
}

function build(runner: ForecastRunner = new InProcessForecastRunner(), cfg = config, newest?: NewestSamples) {
  const registry = new Registry();
  const cache = new ForecastCache();
  refresher = new ForecastRefresher({
    config: cfg,
    catalog: new SeriesCatalog(cfg.series),
    store,
    cache,
    runner,
    clock: { now: () => NOW },
    logger: createLogger({ level: 'silent' }),
    metrics: createServiceMetrics(registry),
    newest,
  });
  return { refresher, cache, registry };
}

const failing: ForecastRunner = {
  run: () => Promise.reject(Object.assign(new Error('model exploded'), { code: 'MODEL_FAILED' })),
  close: async () => {},
};

describe('forecast refresher', () => {
  it('caches a forecast fitted on the history window, stamped with the newest sample', async () => {
    await store.append('api', minutes(90));
    const { refresher: r, cache } = build();

    await r.refit('api');

    expect(cache.get('api')).toMatchObject({ series: 'api', generatedAtMs: NOW, lastObserved: minutes(90)[89] });
  });

  it('reads its history window folded onto the step off the serving thread, never the raw samples on it', async () => {
    await store.append('api', minutes(90));
    const { refresher: r, cache } = build();
    const raw = jest.spyOn(store, 'read');
    const steps = jest.spyOn(store, 'readSteps');

    await r.refit('api');

    expect(raw).not.toHaveBeenCalled();
    expect(steps).toHaveBeenCalledWith('api', expect.objectContaining({ stepSeconds: 60, kind: 'rate', toMs: NOW }));
    expect(cache.get('api')).toBeDefined();
  });

  it('applies retention after a successful refresh: samples older than two history windows go', async () => {
    await store.append('api', minutes(180));
    const { refresher: r } = build();

    await r.refit('api');

    expect((await store.read('api'))[0]!.t).toBe(NOW - 120 * MINUTE);
  });

  it('measures retention from the service clock: a stored sample from year 5138 deletes nothing older', async () => {
    // As stored before pushes were bounded by server.maxFutureSkew; the refresh must not
    // anchor its cutoff on it (it once cut 4,320 samples to 2).
    const future = Date.parse('5138-11-16T09:46:00Z');
    await store.append('api', [...minutes(90), { t: future - MINUTE, v: 1 }, { t: future, v: 1 }]);
    const { refresher: r } = build();

    await r.refit('api');

    expect(await store.read('api')).toHaveLength(92);
  });

  it('keeps storage.retention behind the clock when it is set', async () => {
    await store.append('api', minutes(300));
    const { refresher: r } = build(new InProcessForecastRunner(), parseConfig({ ...rawConfig, storage: { retention: '3h' } }));

    await r.refit('api');

    expect((await store.read('api'))[0]!.t).toBe(NOW - 180 * MINUTE);
  });

  it("takes a refresh's newest sample from the newest-sample memo, with no store read", async () => {
    await store.append('api', minutes(90));
    const newest = new NewestSamples(store);
    await newest.loadAll(['api']);
    const { refresher: r, cache } = build(new InProcessForecastRunner(), config, newest);
    const last = jest.spyOn(store, 'last');

    await r.refit('api');

    expect(last).not.toHaveBeenCalled();
    expect(cache.get('api')?.lastObserved).toEqual(minutes(90)[89]);
  });

  it('reads the newest sample again when retention deleted samples: a silent series may have lost them all', async () => {
    // 90 minutes that ended 5 h ago, a retention of 3 h: the refresh forecasts, then retention deletes every sample.
    await store.append('api', minutes(90).map((s) => ({ ...s, t: s.t - 300 * MINUTE })));
    const newest = new NewestSamples(store);
    await newest.loadAll(['api']);
    const { refresher: r } = build(new InProcessForecastRunner(), parseConfig({ ...rawConfig, storage: { retention: '3h' } }), newest);

    await r.refit('api');

    expect(await store.read('api')).toEqual([]);
    expect(newest.peek('api')).toBeNull();
  });

  it('when the fit fails, keeps every sample, counts the failure by code, and refit reports the error', async () => {
    await store.append('api', minutes(180));
    const { refresher: r, cache, registry } = build(failing);

    await expect(r.refit('api')).rejects.toThrow('model exploded');

    expect(await store.read('api')).toHaveLength(180);
    expect(cache.get('api')).toBeUndefined();
    expect(await registry.metrics()).toContain('prescale_forecast_refresh_failures_total{series="api",code="MODEL_FAILED"} 1');
  });

  it('is ready after the first pass even without samples, and refit then says the forecast is not ready', async () => {
    const { refresher: r } = build();

    await r.refreshAll();

    expect(r.isReady()).toBe(true);
    await expect(r.refit('api')).rejects.toMatchObject({ code: 'FORECAST_NOT_READY' });
  });

  it('refreshes a series requested every 300 ms within about one step, although each request restarts the 1 s debounce', async () => {
    const fast = parseConfig({ forecast: { model: 'seasonal-naive', refreshDebounce: '1s' }, series: [{ name: 'api', step: '1s', horizon: '1m', history: '1h' }] });
    await store.append('api', Array.from({ length: 600 }, (_, i) => ({ t: NOW - (599 - i) * 1000, v: 10 + (i % 5) })));
    const { refresher: r, cache } = build(new InProcessForecastRunner(), fast);

    for (let i = 0; i < 10 && !cache.get('api'); i++) {
      r.request('api');
      await new Promise((done) => setTimeout(done, 300));
    }

    expect(cache.get('api')).toBeDefined();
  });

  it('refuses to schedule an unknown series', () => {
    const { refresher: r } = build();

    expect(() => r.request('nope')).toThrow(expect.objectContaining({ code: 'SERIES_NOT_FOUND' }));
  });
});
