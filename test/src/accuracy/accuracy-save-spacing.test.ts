import type { AccuracySave, AccuracyStateStore, PersistedAccuracy } from '../../../src/accuracy/accuracy-state-store';
import { AccuracyTracker } from '../../../src/accuracy/accuracy-tracker';
import { parseConfig } from '../../../src/config/load-config';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';

/** A store whose every save takes `saveMs` of the service clock, counting the saves. */
class SlowStore implements AccuracyStateStore {
  saves = 0;
  constructor(
    private readonly clock: ManualClock,
    private readonly saveMs: number,
  ) {}
  async load(): Promise<PersistedAccuracy | null> {
    return null;
  }
  async save(state: AccuracySave): Promise<void> {
    for (const _ of state.entries);
    this.saves++;
    this.clock.advance(this.saveMs);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('spaces saves by twenty times the last one took, and close() still saves what changed', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const config = parseConfig({ series: [{ name: 'api', step: '1m' }] });
  const store = new SlowStore(clock, 1_000);
  const tracker = new AccuracyTracker({ series: config.series, store, clock, logger: createLogger({ level: 'silent' }), saveIntervalMs: 5 });
  await tracker.load();
  const history = { startMs: clock.now() - 3_600_000, stepSeconds: 60, timezone: 'UTC', values: Array.from({ length: 60 }, (_, i) => 10 + (i % 3)) };
  const forecast = { startMs: clock.now(), stepSeconds: 60, mean: [11, 12], quantiles: { '0.5': [11, 12], '0.9': [13, 14] }, model: 'test' };

  tracker.observe('api', history, forecast);
  await sleep(50);
  expect(store.saves).toBe(1);

  // The save took 1 s: no other starts within 20 s of its start, however often the timer fires.
  tracker.observe('api', history, forecast);
  clock.advance(18_000);
  await sleep(50);
  expect(store.saves).toBe(1);
  clock.advance(2_000);
  await sleep(50);
  expect(store.saves).toBe(2);

  tracker.observe('api', history, forecast);
  await tracker.close();
  expect(store.saves).toBe(3);
});
