import { SeriesTally } from '../../../src/forecast/series-tally';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { tempDir } from '../../helpers/test-server';

/** The in-memory counts of `GET /v1/series` against a real SQLite store: they always end equal to what it holds. */
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 1);
const minutes = (from: number, count: number, v = 1) => Array.from({ length: count }, (_, i) => ({ t: T0 + (from + i) * MINUTE, v }));

describe('series tally', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteHistoryStore;
  let tally: SeriesTally;
  beforeEach(() => {
    dir = tempDir('tally');
    store = new SqliteHistoryStore(`${dir.path}/history.sqlite`, { stepReads: 'inline' });
  });
  afterEach(() => {
    tally.close();
    store.close();
    dir.remove();
  });

  const write = async (series: string, samples: { t: number; v: number }[]) => tally.appended(series, samples, (await store.append(series, samples)).changed);
  const expectEqualToStore = async (series: string) => {
    const s = await store.stats(series);
    expect(tally.get(series)).toEqual(s ? { count: s.count, firstMs: s.firstMs, lastMs: s.lastMs } : { count: 0, firstMs: null, lastMs: null });
  };

  it('learns counts from the store once, then follows appends of newer samples without asking it', async () => {
    await store.append('a', minutes(0, 100));
    tally = new SeriesTally(store, ['a', 'b']);
    await tally.settled();
    await expectEqualToStore('a');
    await expectEqualToStore('b');
    const stats = jest.spyOn(store, 'stats');

    await write('a', minutes(100, 5));
    await write('b', minutes(0, 3));
    await tally.settled();

    expect(tally.get('a')).toEqual({ count: 105, firstMs: T0, lastMs: T0 + 104 * MINUTE });
    expect(tally.get('b')).toEqual({ count: 3, firstMs: T0, lastMs: T0 + 2 * MINUTE });
    expect(stats).not.toHaveBeenCalled();
  });

  it.each([
    ['a backfill into the past', () => write('a', minutes(-50, 50))],
    ['a re-sent batch with one old value replaced', () => write('a', [...minutes(90, 10), { t: T0 + 50 * MINUTE, v: 2 }])],
    ['a retention delete', async () => tally.deleted('a', await store.deleteBefore('a', T0 + 30 * MINUTE))],
  ])('recounts after %s and ends equal to the store', async (_label, act) => {
    await store.append('a', minutes(0, 100));
    tally = new SeriesTally(store, ['a']);
    await tally.settled();

    await act();
    await tally.settled();

    await expectEqualToStore('a');
  });
});
