import { applyRetention, retentionCutoffMs } from '../../../src/store/retention';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { tempDir } from '../../helpers/test-server';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 10);
const at = (i: number) => ({ t: T0 + i * MINUTE, v: i });

let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;

beforeEach(() => {
  dir = tempDir('retention');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('sample retention', () => {
  it('keeps twice the history window behind the newest sample', () => {
    expect(retentionCutoffMs({ history: 600 }, { t: T0 })).toBe(T0 - 20 * MINUTE);
  });

  it('drops only samples older than the cutoff, of that series only, and says how many', () => {
    store.append('api', Array.from({ length: 31 }, (_, i) => at(i)));
    store.append('other', [at(0)]);

    const dropped = applyRetention(store, { name: 'api', history: 600 }, at(30));

    expect(dropped).toBe(10);
    expect(store.read('api')[0]).toEqual(at(10));
    expect(store.read('other')).toEqual([at(0)]);
  });

  it('is anchored on the newest sample, so a series whose input stopped loses nothing while it waits', () => {
    store.append('api', Array.from({ length: 10 }, (_, i) => at(i)));

    expect(applyRetention(store, { name: 'api', history: 600 }, at(9))).toBe(0);
  });
});
