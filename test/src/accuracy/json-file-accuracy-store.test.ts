import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedAccuracy } from '../../../src/accuracy/accuracy-state-store';
import { JsonFileAccuracyStore } from '../../../src/accuracy/json-file-accuracy-store';
import { SeriesAccuracy } from '../../../src/accuracy/series-accuracy';
import { OPEN_GATE } from '../../../src/accuracy/trust-gate';

/** A series scored over two hours of 1-minute refreshes (a forecast of 60 steps each time). */
function scoredAccuracy(): PersistedAccuracy['series'][string]['accuracy'] {
  const start = Date.UTC(2026, 0, 1);
  const acc = new SeriesAccuracy([0.1, 0.5, 0.9], 60);
  for (let n = 60; n < 180; n++) {
    const values = Array.from({ length: n }, (_, i) => 10 + (i % 7));
    const steps = Array.from({ length: 60 }, (_, k) => 12 + (k % 5));
    const quantiles = { '0.1': steps.map((v) => v - 2), '0.5': steps, '0.9': steps.map((v) => v + 3) };
    acc.observe({ startMs: start, stepSeconds: 60, timezone: 'UTC', values }, { startMs: start + n * 60_000, stepSeconds: 60, mean: steps, quantiles, model: 'test' }, start + n * 60_000);
  }
  return acc.toState();
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-accuracy-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('saves entries as they are produced, in several writes, and loads back exactly what was saved', async () => {
  const file = join(dir, 'accuracy.json');
  const store = new JsonFileAccuracyStore(file);
  const series: PersistedAccuracy['series'] = {};
  // Enough scored series that the file is several write chunks (about 1 MB each) long.
  const scored = scoredAccuracy();
  for (let i = 0; i < 200; i++) series[`s-${i}`] = { accuracy: scored, gate: { ...OPEN_GATE, maseRatio: i / 10 } };
  let produced = 0;
  function* entries(): Generator<[string, PersistedAccuracy['series'][string]]> {
    for (const entry of Object.entries(series)) {
      produced++;
      yield entry;
    }
  }
  await store.save({ formatVersion: 1, savedAtMs: 42, entries: entries() });
  expect(produced).toBe(200);
  expect(statSync(file).size).toBeGreaterThan(2 << 20);
  expect(await store.load()).toEqual({ formatVersion: 1, savedAtMs: 42, series });
  expect(readdirSync(dir)).toEqual(['accuracy.json']);
});

it('an empty save is a valid file', async () => {
  const store = new JsonFileAccuracyStore(join(dir, 'accuracy.json'));
  await store.save({ formatVersion: 1, savedAtMs: 1, entries: [] });
  expect(await store.load()).toEqual({ formatVersion: 1, savedAtMs: 1, series: {} });
});
