import { Registry } from 'prom-client';
import { modelKind } from '../../../models/model-kinds';
import { parseConfig } from '../../../src/config/load-config';
import { ForecastCache } from '../../../src/forecast/cached-forecast';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastRefresher } from '../../../src/forecast/forecast-refresher';
import { SeriesCatalog } from '../../../src/forecast/series-catalog';
import { servingHorizonSteps } from '../../../src/forecast/serving-horizon';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { tempDir } from '../../helpers/test-server';

/** The per-step refresh conditions the kept model and refits only when due, on a real SQLite store. */
const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12);
const load = (t: number) => 100 + 40 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);
const samples = (fromMs: number, toMs: number) => {
  const out = [];
  for (let t = fromMs; t <= toMs; t += MINUTE) out.push({ t, v: load(t) });
  return out;
};

function setup(seriesCount: number) {
  const dir = tempDir('kept-refresh');
  const store = new SqliteHistoryStore(`${dir.path}/history.sqlite`, { stepReads: 'inline' });
  const names = Array.from({ length: seriesCount }, (_, i) => `s${i}`);
  const config = parseConfig({
    forecast: { model: 'seasonal', refreshDebounce: 60, observationFloor: false, workers: 1 },
    series: names.map((name) => ({ name, step: '1m', horizon: '10m', history: '3d', seasonalities: ['daily'] })),
  });
  let now = NOW;
  const cache = new ForecastCache();
  const refresher = new ForecastRefresher({
    config,
    catalog: new SeriesCatalog(config.series),
    store,
    cache,
    runner: new InProcessForecastRunner(),
    clock: { now: () => now },
    logger: createLogger({ level: 'silent' }),
    metrics: createServiceMetrics(new Registry()),
  });
  return {
    config,
    store,
    cache,
    refresher,
    names,
    setNow: (ms: number) => (now = ms),
    async close() {
      await refresher.close();
      store.close();
      dir.remove();
    },
  };
}

describe('kept-model refresh', () => {
  let env: ReturnType<typeof setup>;
  afterEach(() => env.close());

  it('conditions the kept model on a 6-hour tail on the next step, and forecasts what fit-then-condition gives', async () => {
    env = setup(1);
    const first = samples(NOW - 3 * DAY, NOW - MINUTE);
    await env.store.append('s0', first);
    const reads = jest.spyOn(env.store, 'readSteps');
    await env.refresher.refreshAll();
    await env.store.append('s0', [{ t: NOW, v: 123 }]);
    env.setNow(NOW + 30_000);

    await env.refresher.refreshAll();

    const spans = reads.mock.calls.map(([, q]) => ((q.toMs ?? 0) - (q.fromMs ?? 0)) / 3600_000);
    expect(spans).toEqual([72, 6]);
    const horizonSteps = servingHorizonSteps(env.config.series[0]!);
    // The served kind (with its online calibration, which the conditioning updates), as the refresh builds it.
    const fitted = await modelKind('seasonal').create({ horizonSteps }).fit(await env.store.readSteps('s0', { fromMs: NOW - MINUTE - 3 * DAY, toMs: NOW - MINUTE, stepSeconds: 60, kind: 'rate', timezone: 'UTC' }), { seasonalities: ['daily'] });
    const moved = await fitted.condition(await env.store.readSteps('s0', { fromMs: NOW - 3 * DAY, toMs: NOW, stepSeconds: 60, kind: 'rate', timezone: 'UTC' }));
    expect(env.cache.get('s0')!.forecast).toEqual(moved.predict(horizonSteps, { quantiles: [0.5, 0.9] }));
    expect(env.cache.get('s0')!.forecast.startMs).toBe(NOW + MINUTE);
  });

  it('refits on the full window once the refit schedule is due (a day without training.schedule), and on demand', async () => {
    env = setup(1);
    await env.store.append('s0', samples(NOW - 3 * DAY, NOW));
    await env.refresher.refreshAll();
    const reads = jest.spyOn(env.store, 'readSteps');

    env.setNow(NOW + DAY + MINUTE);
    await env.store.append('s0', [{ t: NOW + DAY, v: 100 }]);
    await env.refresher.refreshAll();
    await env.refresher.refit('s0');

    const spans = reads.mock.calls.map(([, q]) => ((q.toMs ?? 0) - (q.fromMs ?? 0)) / 3600_000);
    expect(spans).toEqual([72, 72]);
  });

  it('gives every one of many cold series a forecast at once, bridging with a labelled seasonal-naive, then fits them all', async () => {
    env = setup(30);
    for (const name of env.names) await env.store.append(name, samples(NOW - 2 * DAY, NOW));

    await env.refresher.refreshAll();

    const first = env.names.map((n) => env.cache.get(n));
    expect(first.every((c) => c !== undefined)).toBe(true);
    const bridged = first.filter((c) => c!.fallbackReason?.startsWith('warming up'));
    expect(bridged.length).toBeGreaterThan(0);
    for (const c of bridged) expect(c!.forecast.model).toBe('seasonal-naive');
    // The backlog is worked off in the background.
    const deadline = Date.now() + 60_000;
    while (env.names.some((n) => env.cache.get(n)!.forecast.model !== 'seasonal') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const n of env.names) expect(env.cache.get(n)).toMatchObject({ forecast: { model: 'seasonal' } });
    for (const n of env.names) expect(env.cache.get(n)!.fallbackReason).toBeUndefined();
  });
});
