import type { RegularSeries } from '../../../models/core/forecaster';
import { regularize } from '../../../src/series/regularize';
import type { Sample, SeriesKind } from '../../../src/series/sample';
import { historyUntil } from '../../../src/store/history-until';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { tempDir } from '../../helpers/test-server';
import { withPlainValues } from '../../helpers/series-fixtures';

const T0 = Date.UTC(2026, 2, 29, 0, 30); // the night Europe/Berlin moves its clocks
let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;
let inline: SqliteHistoryStore;

beforeEach(() => {
  dir = tempDir('step-read');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
  inline = new SqliteHistoryStore(`${dir.path}/history.sqlite`, { stepReads: 'inline' });
});
afterEach(() => {
  inline.close();
  store.close();
  dir.remove();
});

/** Irregular sub-step samples (several per step, gaps of whole steps, values that do not sum exactly). */
function subStepSamples(count: number, seed = 1): Sample[] {
  let x = seed;
  const random = (): number => {
    x = (x * 48271) % 2147483647;
    return x / 2147483647;
  };
  const out: Sample[] = [];
  let t = T0 + 1234;
  for (let i = 0; i < count; i++) {
    t += random() < 0.02 ? 11 * 60_000 : Math.ceil(random() * 7000);
    out.push({ t, v: random() * 1000 + Math.sin(i / 50) * 0.1 });
  }
  return out;
}

/** Today's path: raw read, then regularize on the calling thread. */
async function regularized(s: SqliteHistoryStore, kind: SeriesKind, stepSeconds: number, range: { fromMs?: number; toMs?: number } = {}): Promise<RegularSeries> {
  return regularize(await s.read('api', range), { stepSeconds, kind, timezone: 'Europe/Berlin' });
}

describe('step reads', () => {
  it.each([
    ['rate', 60],
    ['gauge', 60],
    ['rate', 300],
    ['gauge', 15],
  ] as const)('a %s on a %is step reads the very RegularSeries that regularize gives, on a worker and inline', async (kind, stepSeconds) => {
    await store.append('api', subStepSamples(5000));
    const expected = await regularized(store, kind, stepSeconds);
    const query = { stepSeconds, kind, timezone: 'Europe/Berlin' };

    const [onWorker, onThisThread] = [await store.readSteps('api', query), await inline.readSteps('api', query)];

    expect(withPlainValues(onWorker)).toEqual(expected);
    expect(withPlainValues(onThisThread)).toEqual(expected);
    // A typed array crosses between threads as one copy of its bytes.
    expect(onWorker.values.constructor.name).toBe('Float64Array');
    expect(Array.from(expected.values).some((v) => Number.isNaN(v))).toBe(true);
  });

  it('a range starts the grid at the step of its first sample, as regularize does', async () => {
    const samples = subStepSamples(3000, 7);
    await store.append('api', samples);
    const range = { fromMs: (samples[400] as Sample).t + 1, toMs: (samples[2500] as Sample).t };

    const got = await store.readSteps('api', { ...range, stepSeconds: 60, kind: 'rate', timezone: 'UTC' });

    expect(withPlainValues(got)).toEqual({ ...(await regularized(store, 'rate', 60, range)), timezone: 'UTC' });
  });

  it('an unknown series reads as an empty series, as regularize of no samples', async () => {
    const got = await store.readSteps('nope', { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });

    expect(withPlainValues(got)).toEqual(regularize([], { stepSeconds: 60, kind: 'rate', timezone: 'UTC' }));
  });

  it('a view until a time hides later samples from step reads too', async () => {
    const samples = subStepSamples(2000, 3);
    await store.append('api', samples);
    const untilMs = (samples[999] as Sample).t;

    const got = await historyUntil(inline, untilMs).readSteps('api', { stepSeconds: 60, kind: 'gauge', timezone: 'UTC' });

    expect(withPlainValues(got)).toEqual({ ...(await regularized(store, 'gauge', 60, { toMs: untilMs })), timezone: 'UTC' });
  });
});
