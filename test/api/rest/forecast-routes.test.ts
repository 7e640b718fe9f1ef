import type { RunningService } from '../../../main/serve';
import { recentSamples, startService, tempDir, waitFor } from '../../helpers/test-server';

/** Forecast reads over a real socket, after a real refresh in the worker thread. */
let dir: ReturnType<typeof tempDir>;
let svc: RunningService & { url: string };
let pushed: Array<{ t: string; v: number }>;

interface ForecastBody {
  series: string;
  model: string;
  generatedAt: string;
  step: number;
  horizon: number;
  stale: boolean;
  lastObserved: { t: string; v: number };
  points: Array<{ t: string; value: number; quantiles: Record<string, number> }>;
}

const getForecast = (query = '') => fetch(`${svc.url}/v1/forecasts/api-rps${query}`);

beforeAll(async () => {
  dir = tempDir('api-forecast');
  svc = await startService(dir.path);
  // Two days of one-minute history ending at the current minute.
  pushed = recentSamples(2 * 1440);
  const res = await fetch(`${svc.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pushed) });
  expect(res.status).toBe(200);
  // Until the first refresh is done the view is the last observation (docs/degradation.md): wait for a model's.
  await waitFor(async () => (((await (await getForecast()).json()) as ForecastBody).model !== 'last-observation' ? true : undefined), 30_000, 'the first forecast');
}, 60_000);
afterAll(async () => {
  await svc.stop();
  dir.remove();
});

describe('GET /v1/forecasts/{name}', () => {
  it('answers ?horizon=30m with points on the step from now to 30 minutes ahead', async () => {
    const requestedAt = Date.now();
    const res = await getForecast('?horizon=30m');
    const body = (await res.json()) as ForecastBody;

    expect(res.status).toBe(200);
    expect(body).toMatchObject({ series: 'api-rps', model: 'seasonal', step: 60, horizon: 1800, stale: false });
    expect(body.points.length).toBeGreaterThanOrEqual(29);
    expect(body.points.length).toBeLessThanOrEqual(31);
    const times = body.points.map((p) => Date.parse(p.t));
    expect(times[0]! % 60_000).toBe(0);
    expect(times[0]!).toBeGreaterThanOrEqual(Math.floor(requestedAt / 60_000) * 60_000 - 60_000);
    expect(times[times.length - 1]!).toBeLessThanOrEqual(requestedAt + 1_800_000 + 60_000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_000);
  });

  it('gives every point a finite value and the quantiles "0.5" <= "0.9"', async () => {
    const body = (await (await getForecast('?horizon=30m')).json()) as ForecastBody;

    for (const p of body.points) {
      expect(Object.keys(p.quantiles).sort()).toEqual(['0.5', '0.9']);
      expect(Number.isFinite(p.value)).toBe(true);
      expect(p.quantiles['0.5']!).toBeLessThanOrEqual(p.quantiles['0.9']!);
      expect(p.value).toBeGreaterThan(0);
    }
  });

  it('says when it was made and what the last observation was', async () => {
    const body = (await (await getForecast('?horizon=30m')).json()) as ForecastBody;
    const last = pushed[pushed.length - 1]!;

    expect(Date.parse(body.generatedAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(body.generatedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(body.lastObserved).toEqual({ t: new Date(Date.parse(last.t)).toISOString(), v: last.v });
  });

  it('never forecasts below the latest observation in the near horizon (observation floor)', async () => {
    const body = (await (await getForecast('?horizon=5m')).json()) as ForecastBody;

    const floorUntil = Date.parse(body.lastObserved.t) + 300_000; // forecast.observationFloorHorizon default
    const near = body.points.filter((p) => Date.parse(p.t) <= floorUntil);

    expect(near.length).toBeGreaterThan(0);
    for (const p of near) {
      expect(p.value).toBeGreaterThanOrEqual(body.lastObserved.v);
      expect(p.quantiles['0.5']!).toBeGreaterThanOrEqual(body.lastObserved.v);
    }
  });

  it('serves the configured horizon when none is asked for, and shorter ones on request', async () => {
    const full = (await (await getForecast()).json()) as ForecastBody;
    const short = (await (await getForecast('?horizon=10m')).json()) as ForecastBody;

    expect(full.horizon).toBe(1800);
    expect(short.points.length).toBeLessThan(full.points.length);
    expect(short.points.length).toBeGreaterThanOrEqual(9);
    expect(short.points.length).toBeLessThanOrEqual(11);
  });

  it('refuses a horizon beyond the configured one with a problem+json 400 naming horizon', async () => {
    const res = await getForecast('?horizon=2h');

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ field: 'horizon', detail: expect.stringMatching(/exceeds the configured horizon/) });
  });

  it.each(['0.1s', '0.4s', '1.5s', '0s'])('refuses ?horizon=%s (not whole seconds, or none) with a 400 naming horizon, never a horizon of 0', async (horizon) => {
    const res = await getForecast(`?horizon=${horizon}`);

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'horizon', detail: expect.stringMatching(/whole seconds/) });
  });

  it('lists the series as fresh and forecast once samples and a refresh arrived', async () => {
    const body = (await (await fetch(`${svc.url}/v1/series`)).json()) as { series: Array<{ name: string; samples: number; stale: boolean; hasForecast: boolean }> };

    expect(body.series).toContainEqual(expect.objectContaining({ name: 'api-rps', samples: 2880, stale: false, hasForecast: true }));
  });
});
