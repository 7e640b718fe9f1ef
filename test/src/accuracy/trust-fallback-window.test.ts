import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Forecast, RegularSeries } from '../../../models/core/forecaster';
import { AccuracyTracker } from '../../../src/accuracy/accuracy-tracker';
import { JsonFileAccuracyStore } from '../../../src/accuracy/json-file-accuracy-store';
import { parseConfig } from '../../../src/config/load-config';
import { reactiveDemand } from '../../../src/forecast/reactive-demand';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { readTrace } from '../../helpers/trace-file';

/**
 * While the gate holds a minute series, the tracker hands the reader the observations of the
 * reactive-demand window (the observation-floor horizon) of each refresh, so the published
 * value is the peak over the last 5 minutes, as a reactive HPA holds it, not the newest sample
 * alone. A real shipped minute trace, the real JSON accuracy store in a temporary directory.
 */
const trace = readTrace('mscm_mongodb_app_qps_01.csv');
const values = trace.map((s) => s.v);
const START = trace[0]!.t;
const MINUTE = 60_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-trust-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('an engaged gate carries each refresh\'s window, and its peak is what the series publishes', async () => {
  const config = parseConfig({
    storage: { dataDir: dir },
    series: [{ name: 'qps', step: '1m', horizon: '15m', trustGate: { minPoints: 20 } }],
  });
  const clock = new ManualClock(START);
  const tracker = new AccuracyTracker({ series: config.series, store: new JsonFileAccuracyStore(join(dir, 'accuracy.json')), clock, logger: createLogger({ level: 'silent' }), reactiveWindowSeconds: 300 });
  let history: RegularSeries = { startMs: START, stepSeconds: 60, timezone: 'UTC', values: [] };
  // A forecast three times too high, from a day of history on: seasonal-naive beats it, the gate engages.
  let i = 1440;
  for (; i < 1440 + 60 && !tracker.fallback('qps'); i++) {
    clock.set(START + i * MINUTE + 30_000);
    history = { ...history, values: values.slice(0, i + 1) };
    const mean = Array.from({ length: 10 }, (_, k) => 3 * (values[i + 1 + k - 1440] as number));
    const forecast: Forecast = { startMs: START + (i + 1) * MINUTE, stepSeconds: 60, mean, quantiles: { '0.1': mean, '0.5': mean, '0.9': mean }, model: 'test' };
    tracker.observe('qps', history, forecast);
  }
  const engaged = tracker.fallback('qps');
  expect(engaged?.reason).toBe('mase-ratio');
  expect(engaged?.detail).toContain('reactive demand');
  const newestIndex = i - 1;
  // The window of the refresh: the newest step and the five before it.
  expect(engaged?.recent?.windowSeconds).toBe(300);
  expect(engaged?.recent?.samples).toEqual(Array.from({ length: 6 }, (_, k) => ({ t: START + (newestIndex - 5 + k) * MINUTE, v: values[newestIndex - 5 + k] })));
  const newest = { t: START + newestIndex * MINUTE, v: values[newestIndex]! };
  const peak = Math.max(...values.slice(newestIndex - 5, newestIndex + 1));
  expect(reactiveDemand(engaged!.recent!.samples, newest, 300)).toBe(peak);

  // The next refresh, still engaged: a new fallback object (views re-render) with the moved window.
  clock.set(START + (newestIndex + 1) * MINUTE + 30_000);
  history = { ...history, values: values.slice(0, newestIndex + 2) };
  const mean = Array.from({ length: 10 }, (_, k) => 3 * (values[newestIndex + 2 + k - 1440] as number));
  tracker.observe('qps', history, { startMs: START + (newestIndex + 2) * MINUTE, stepSeconds: 60, mean, quantiles: { '0.1': mean, '0.5': mean, '0.9': mean }, model: 'test' });
  const next = tracker.fallback('qps');
  expect(next).not.toBe(engaged);
  expect(next?.recent?.samples.at(-1)).toEqual({ t: START + (newestIndex + 1) * MINUTE, v: values[newestIndex + 1] });
  await tracker.close();
});
