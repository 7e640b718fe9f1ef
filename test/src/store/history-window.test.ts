import { parseConfig } from '../../../src/config/load-config';
import { readHistoryWindow } from '../../../src/store/history-window';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { tempDir } from '../../helpers/test-server';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 10);
const at = (i: number, v: number) => ({ t: T0 + i * MINUTE, v });

let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;

beforeEach(() => {
  dir = tempDir('history-window');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
});
afterEach(() => {
  store.close();
  dir.remove();
});

function series(overrides: Record<string, unknown> = {}) {
  const [config] = parseConfig({ series: [{ name: 'api', step: '1m', history: '10m', timezone: 'Europe/Berlin', ...overrides }] }).series;
  return config!;
}

describe('history window', () => {
  it('covers the configured history up to the newest sample, on the series step', async () => {
    await store.append('api', Array.from({ length: 30 }, (_, i) => at(i, i)));

    const { newest, series: s } = await readHistoryWindow(store, series());

    expect(newest).toEqual(at(29, 29));
    expect(s).toMatchObject({ startMs: T0 + 19 * MINUTE, stepSeconds: 60, timezone: 'Europe/Berlin' });
    expect(Array.from(s.values)).toEqual([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  });

  it('ends at the newest sample, not the wall clock, so a series whose input stopped keeps its full window', async () => {
    await store.append('api', [at(0, 1), at(5, 2)]);

    const { series: s } = await readHistoryWindow(store, series());

    expect(s.values).toHaveLength(6);
  });

  it('marks missing steps NaN and folds a rate series by mean, a gauge by its last value', async () => {
    await store.append('api', [at(0, 1), { t: T0 + 30_000, v: 3 }, at(2, 5)]);

    const rate = (await readHistoryWindow(store, series({ kind: 'rate' }))).series;
    const gauge = (await readHistoryWindow(store, series({ kind: 'gauge' }))).series;

    expect(Array.from(rate.values)).toEqual([2, Number.NaN, 5]);
    expect(Array.from(gauge.values)).toEqual([3, Number.NaN, 5]);
  });

  it('is empty, without a newest sample, for a series with no samples', async () => {
    expect(await readHistoryWindow(store, series())).toMatchObject({ newest: null, series: { values: [] } });
  });

  it('uses the newest sample the caller already read instead of asking the store again', async () => {
    await store.append('api', [at(0, 1), at(1, 2), at(2, 3)]);
    const last = jest.spyOn(store, 'last');

    const { series: s } = await readHistoryWindow(store, series(), { newest: at(1, 2) });

    expect(last).not.toHaveBeenCalled();
    expect(Array.from(s.values)).toEqual([1, 2, 3]);
  });
});
