import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';

const T0 = Date.UTC(2026, 10, 26, 10);
const minute = (i: number, v: number) => ({ t: T0 + i * 60_000, v });

let dir: string;
let file: string;
let store: SqliteHistoryStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-store-'));
  file = join(dir, 'nested', 'history.sqlite');
  store = new SqliteHistoryStore(file);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite history store', () => {
  it('creates its folder and file on first open', () => {
    expect(existsSync(file)).toBe(true);
  });

  it('reads back appended samples oldest first, whatever the append order', async () => {
    await store.append('api', [minute(2, 30), minute(0, 10), minute(1, 20)]);

    expect(await store.read('api')).toEqual([minute(0, 10), minute(1, 20), minute(2, 30)]);
  });

  it('reads an inclusive time range', async () => {
    await store.append('api', [0, 1, 2, 3, 4].map((i) => minute(i, i)));

    expect((await store.read('api', { fromMs: T0 + 60_000, toMs: T0 + 180_000 })).map((s) => s.v)).toEqual([1, 2, 3]);
  });

  it('keeps series apart', async () => {
    await store.append('a', [minute(0, 1)]);
    await store.append('b', [minute(0, 2), minute(1, 3)]);

    expect(await store.read('a')).toEqual([minute(0, 1)]);
    expect(await store.last('b')).toEqual(minute(1, 3));
  });

  it('reports the latest sample, and null for an unknown series', async () => {
    await store.append('api', [minute(5, 50), minute(3, 30)]);

    expect(await store.last('api')).toEqual(minute(5, 50));
    expect(await store.last('nope')).toBeNull();
  });

  it('reports count and first/last timestamps per series', async () => {
    await store.append('b', [minute(0, 1), minute(9, 2)]);
    await store.append('a', [minute(3, 1)]);

    expect(await store.stats('b')).toEqual({ name: 'b', count: 2, firstMs: T0, lastMs: T0 + 540_000 });
    expect(await store.stats('nope')).toBeNull();
    expect((await store.allStats()).map((s) => [s.name, s.count])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('is idempotent: re-sending the same samples changes nothing', async () => {
    const batch = [0, 1, 2].map((i) => minute(i, i * 10));

    const first = await store.append('api', batch);
    const again = await store.append('api', batch);

    expect(first).toEqual({ stored: 3, changed: 3 });
    expect(again).toEqual({ stored: 3, changed: 0 });
    expect((await store.stats('api'))!.count).toBe(3);
  });

  it('replaces the value of a re-sent timestamp with a new value', async () => {
    await store.append('api', [minute(0, 1), minute(1, 2)]);

    const result = await store.append('api', [minute(1, 99), minute(2, 3)]);

    expect(result).toEqual({ stored: 2, changed: 2 });
    expect((await store.read('api')).map((s) => s.v)).toEqual([1, 99, 3]);
  });

  it('accepts an empty batch without writing', async () => {
    expect(await store.append('api', [])).toEqual({ stored: 0, changed: 0 });
    expect(await store.stats('api')).toBeNull();
  });

  it('keeps every acknowledged sample after close and reopen', async () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => minute(i, i % 97));
    await store.append('api', samples);
    store.close();

    store = new SqliteHistoryStore(file);

    expect(await store.stats('api')).toEqual({ name: 'api', count: 10_000, firstMs: T0, lastMs: T0 + 9_999 * 60_000 });
    expect(await store.read('api')).toEqual(samples);
  });

  it('deletes only samples of that series older than the cut-off', async () => {
    await store.append('api', [0, 1, 2, 3].map((i) => minute(i, i)));
    await store.append('other', [minute(0, 7)]);

    const deleted = await store.deleteBefore('api', T0 + 120_000);

    expect(deleted).toBe(2);
    expect((await store.read('api')).map((s) => s.v)).toEqual([2, 3]);
    expect(await store.read('other')).toEqual([minute(0, 7)]);
  });

  it('closes idempotently', () => {
    store.close();

    expect(() => store.close()).not.toThrow();
  });
});
