import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, serve } from '../../../main/serve';
import { JsonFileAccuracyStore } from '../../../src/accuracy/json-file-accuracy-store';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { waitFor } from '../../helpers/test-server';
import { readTrace } from '../../helpers/trace-file';

/**
 * Live accuracy is kept across a restart: the real service (SQLite history, the JSON accuracy
 * file in the same data dir, REST over HTTP) scores a shipped trace, stops, and a new service
 * on the same data dir reports the same scores and goes on scoring the forecasts the first one
 * remembered.
 */
const trace = readTrace('nab_elb_request_count_8c0756.csv');
const WARM = 2 * 288;

interface AccuracyBody {
  accuracy: { pendingTargets: number; windows: Record<string, { points: number; mase: number | null; coverage: Record<string, number | null> }> };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-accuracy-restart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function start(clock: ManualClock): Promise<RunningService> {
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, shutdownGrace: '1s' },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal-naive', refreshDebounce: 600 },
    series: [{ name: 'elb', step: '5m', horizon: '1h', history: '2d', seasonalities: ['daily'], staleAfter: 1000 }],
  });
  return serve({ config, logger: createLogger({ level: 'silent' }), clock, runner: new InProcessForecastRunner() });
}

async function accuracy(running: RunningService): Promise<AccuracyBody['accuracy']> {
  const res = await fetch(`http://127.0.0.1:${running.port}/v1/series/elb`, { headers: { connection: 'close' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as AccuracyBody).accuracy;
}

async function stepTo(running: RunningService, clock: ManualClock, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    clock.set(trace[i]!.t + 30_000);
    await running.app.forecasts.ingest('elb', [trace[i]!]);
    await running.app.forecasts.refit('elb');
  }
}

it('a restarted service reports the scores saved before it stopped, and scores the forecasts remembered before the restart', async () => {
  const clock = new ManualClock(trace[WARM - 1]!.t + 30_000);
  const first = await start(clock);
  await first.app.forecasts.ingest('elb', trace.slice(0, WARM));
  await stepTo(first, clock, WARM, WARM + 24);
  const before = await accuracy(first);
  expect(before.windows['24h']!.points).toBeGreaterThan(0);
  expect(before.pendingTargets).toBeGreaterThan(0);
  await first.stop();
  expect(readdirSync(dir)).toContain('accuracy.json');

  const second = await start(clock);
  try {
    // The saved scores are read before the first forecast pass, which readiness waits for.
    await waitFor(async () => (second.app.forecasts.isReady() ? true : undefined), 30_000, 'the first forecast pass');
    expect(await accuracy(second)).toEqual(before);
    // The next step settles targets forecast by the first process: scoring goes on from the saved sums.
    await stepTo(second, clock, WARM + 24, WARM + 25);
    const after = await accuracy(second);
    expect(after.windows['24h']!.points).toBeGreaterThan(before.windows['24h']!.points);
  } finally {
    await second.stop();
  }
}, 120_000);

it('an unreadable accuracy file is moved aside, not overwritten, and scoring starts empty', async () => {
  const file = join(dir, 'accuracy.json');
  writeFileSync(file, '{"formatVersion": 1, "series": [tru');
  const moved: string[] = [];
  const store = new JsonFileAccuracyStore(file, (_why, to) => moved.push(to));
  expect(await store.load()).toBeNull();
  expect(moved).toHaveLength(1);
  expect(readdirSync(dir).filter((f) => f.startsWith('accuracy.json.unreadable-'))).toHaveLength(1);
  const state = { formatVersion: 1 as const, savedAtMs: 5, series: {} };
  await store.save({ ...state, entries: Object.entries(state.series) });
  expect(await store.load()).toEqual(state);
  // The save went through a temporary file renamed over the target: none is left behind.
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
});
