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

const YEAR_5138 = Date.parse('5138-11-16T09:46:39Z');

describe('sample retention', () => {
  it('keeps twice the history window behind the service clock by default, or storage.retention when set', () => {
    expect(retentionCutoffMs({ history: 600 }, { nowMs: T0 })).toBe(T0 - 20 * MINUTE);
    expect(retentionCutoffMs({ history: 600 }, { nowMs: T0, retentionSeconds: 3600 })).toBe(T0 - 60 * MINUTE);
  });

  it('drops only samples older than the cutoff, of that series only, and says how many', async () => {
    await store.append('api', Array.from({ length: 31 }, (_, i) => at(i)));
    await store.append('other', [at(0)]);

    const dropped = await applyRetention(store, { name: 'api', history: 600 }, { nowMs: at(30).t });

    expect(dropped).toBe(10);
    expect((await store.read('api'))[0]).toEqual(at(10));
    expect(await store.read('other')).toEqual([at(0)]);
  });

  it('measures from the service clock, not the newest sample: imported history older than the retention goes', async () => {
    await store.append('api', Array.from({ length: 10 }, (_, i) => at(i)));

    expect(await applyRetention(store, { name: 'api', history: 600 }, { nowMs: T0 + 365 * 24 * 60 * MINUTE })).toBe(10);
  });

  it('keeps imported old history that is within storage.retention', async () => {
    await store.append('api', Array.from({ length: 10 }, (_, i) => at(i)));

    expect(await applyRetention(store, { name: 'api', history: 600 }, { nowMs: T0 + 30 * 24 * 60 * MINUTE, retentionSeconds: 400 * 86_400 })).toBe(0);
  });

  it('a sample from year 5138 does not move the cutoff: 4,320 stored samples survive', async () => {
    await store.append('api', [...Array.from({ length: 4320 }, (_, i) => at(i - 4319)), { t: YEAR_5138, v: 1 }]);

    const dropped = await applyRetention(store, { name: 'api', history: 3 * 86_400 }, { nowMs: T0 });

    expect(dropped).toBe(0);
    expect((await store.stats('api'))!.count).toBe(4321);
  });
});
