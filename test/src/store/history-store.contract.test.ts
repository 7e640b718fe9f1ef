import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regularize } from '../../../src/series/regularize';
import type { Sample, SeriesKind } from '../../../src/series/sample';
import type { HistoryStore } from '../../../src/store/history-store';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { postgresStoreReplicas } from '../../helpers/postgres-store-replicas';
import { RealPostgres } from '../../helpers/real-postgres';
import { withPlainValues } from '../../helpers/series-fixtures';

// One contract, two backends: the SQLite file of the embedded mode and a real PostgreSQL
// (initdb + postgres on a loopback port). Every case runs against both.

const T0 = Date.UTC(2026, 10, 26, 10);
const minute = (i: number, v: number): Sample => ({ t: T0 + i * 60_000, v });

/** A backend under test: opens a store on the same data each time, wipes it between cases. */
interface Backend {
  open(): HistoryStore;
  wipe(): Promise<void>;
  closeAll(): Promise<void>;
}

let pg: RealPostgres;
let pgUrl: string;
let sqliteDir: string;

beforeAll(async () => {
  pg = new RealPostgres();
  await pg.start();
  pgUrl = await pg.createDatabase('contract');
  sqliteDir = mkdtempSync(join(tmpdir(), 'prescale-contract-'));
}, 60_000);
afterAll(async () => {
  await pg.destroy();
  rmSync(sqliteDir, { recursive: true, force: true });
});

/** `inline`: every read and write on the calling thread; `worker`: as the service runs it (read and group-commit write threads, from dist/). */
function sqliteBackend(threads: 'inline' | 'worker'): Backend {
  const file = (): string => join(sqliteDir, 'history.sqlite');
  const opened: SqliteHistoryStore[] = [];
  return {
    open: () => {
      const s = new SqliteHistoryStore(file(), { stepReads: threads, writes: threads });
      opened.push(s);
      return s;
    },
    wipe: async () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(file() + suffix, { force: true })),
    closeAll: async () => {
      for (const s of opened.splice(0)) await s.close();
    },
  };
}

describe.each([
  ['SQLite', () => sqliteBackend('inline')],
  ['SQLite with read and write threads', () => sqliteBackend('worker')],
  ['PostgreSQL', () => postgresStoreReplicas(() => ({ pg, name: 'contract', url: pgUrl }), 'inline')],
  ['PostgreSQL with its history thread', () => postgresStoreReplicas(() => ({ pg, name: 'contract', url: pgUrl }), 'worker')],
] as const)('history store contract: %s', (_name, makeBackend) => {
  const backend = makeBackend();
  let store: HistoryStore;

  beforeEach(async () => {
    await backend.wipe();
    store = backend.open();
  });
  afterEach(() => backend.closeAll());

  it('reads back appended samples oldest first, whatever the append order', async () => {
    await store.append('api', [minute(2, 30), minute(0, 10), minute(1, 20)]);

    expect(await store.read('api')).toEqual([minute(0, 10), minute(1, 20), minute(2, 30)]);
  });

  it('reads an inclusive time range', async () => {
    await store.append('api', [0, 1, 2, 3, 4].map((i) => minute(i, i)));

    expect((await store.read('api', { fromMs: T0 + 60_000, toMs: T0 + 180_000 })).map((s) => s.v)).toEqual([1, 2, 3]);
  });

  it('keeps series apart, and reports the latest sample (null for an unknown series)', async () => {
    await store.append('a', [minute(0, 1)]);
    await store.append('b', [minute(1, 3), minute(0, 2)]);

    expect(await store.read('a')).toEqual([minute(0, 1)]);
    expect(await store.last('b')).toEqual(minute(1, 3));
    expect(await store.last('nope')).toBeNull();
  });

  it('reports count and first/last timestamps per series, all series in name order', async () => {
    await store.append('b', [minute(0, 1), minute(9, 2)]);
    await store.append('a', [minute(3, 1)]);
    await store.append('B', [minute(3, 1)]);

    expect(await store.stats('b')).toEqual({ name: 'b', count: 2, firstMs: T0, lastMs: T0 + 540_000 });
    expect(await store.stats('nope')).toBeNull();
    expect((await store.allStats()).map((s) => [s.name, s.count])).toEqual([
      ['B', 1],
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('is idempotent: re-sending the same samples changes nothing', async () => {
    const batch = [0, 1, 2].map((i) => minute(i, i * 10));

    expect(await store.append('api', batch)).toEqual({ stored: 3, changed: 3 });
    expect(await store.append('api', batch)).toEqual({ stored: 3, changed: 0 });
    expect((await store.stats('api'))!.count).toBe(3);
  });

  it('replaces the value of a re-sent timestamp, counting only new or changed values', async () => {
    await store.append('api', [minute(0, 1), minute(1, 2)]);

    expect(await store.append('api', [minute(0, 1), minute(1, 99), minute(2, 3)])).toEqual({ stored: 3, changed: 2 });
    expect((await store.read('api')).map((s) => s.v)).toEqual([1, 99, 3]);
  });

  it('keeps the last value when one batch repeats a timestamp', async () => {
    await store.append('api', [minute(0, 1), minute(0, 7)]);

    expect(await store.read('api')).toEqual([minute(0, 7)]);
  });

  it('stores values bit for bit (fractions that have no short decimal form, huge and tiny values)', async () => {
    const values = [0.1 + 0.2, Math.PI, 1e-300, 1.7976931348623157e308, -123.456789012345678, 5e-324];
    await store.append('api', values.map((v, i) => minute(i, v)));

    expect((await store.read('api')).map((s) => s.v)).toEqual(values);
  });

  it('accepts an empty batch without writing', async () => {
    expect(await store.append('api', [])).toEqual({ stored: 0, changed: 0 });
    expect(await store.stats('api')).toBeNull();
  });

  it('keeps every acknowledged sample for a store opened afterwards', async () => {
    const samples = Array.from({ length: 20_000 }, (_, i) => minute(i, i % 97));
    await store.append('api', samples);
    await backend.closeAll();

    const reopened = backend.open();

    expect(await reopened.stats('api')).toEqual({ name: 'api', count: 20_000, firstMs: T0, lastMs: T0 + 19_999 * 60_000 });
    expect(await reopened.read('api')).toEqual(samples);
  });

  it('deletes only samples of that series older than the cut-off, and says how many', async () => {
    await store.append('api', [0, 1, 2, 3].map((i) => minute(i, i)));
    await store.append('other', [minute(0, 7)]);

    expect(await store.deleteBefore('api', T0 + 120_000)).toBe(2);
    expect((await store.read('api')).map((s) => s.v)).toEqual([2, 3]);
    expect(await store.read('other')).toEqual([minute(0, 7)]);
  });

  it.each([
    ['rate', 60],
    ['gauge', 60],
    ['rate', 300],
    ['gauge', 15],
  ] as [SeriesKind, number][])('folds a %s onto a %is step exactly as regularize does (same grid, NaN gaps, same bits)', async (kind, stepSeconds) => {
    const samples = irregularSamples(4000);
    await store.append('api', samples);
    const range = { fromMs: (samples[100] as Sample).t + 1, toMs: (samples[3900] as Sample).t };
    const expected = regularize(await store.read('api', range), { stepSeconds, kind, timezone: 'Europe/Berlin' });

    const got = await store.readSteps('api', { ...range, stepSeconds, kind, timezone: 'Europe/Berlin' });

    expect(withPlainValues(got)).toEqual(expected);
    expect(Array.from(got.values).some((v) => Number.isNaN(v))).toBe(true);
  });

  it('reads an unknown series as an empty folded series', async () => {
    const got = await store.readSteps('nope', { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
    expect(withPlainValues(got)).toEqual(regularize([], { stepSeconds: 60, kind: 'rate', timezone: 'UTC' }));
  });

  it('gives each of the appends made together its own count, and applies two batches of one series in order', async () => {
    const [first, other, second] = await Promise.all([
      store.append('api', [minute(0, 1), minute(1, 1)]),
      store.append('other', [minute(0, 5)]),
      store.append('api', [minute(1, 2), minute(2, 2)]),
    ]);

    expect([first.changed, other.changed, second.changed]).toEqual([2, 1, 2]);
    expect((await store.read('api')).map((s) => s.v)).toEqual([1, 2, 2]);
    expect((await store.read('other')).map((s) => s.v)).toEqual([5]);
  });

  it('loses nothing when writers append overlapping batches of one series at once', async () => {
    const writers = [backend.open(), backend.open(), store];
    const batches = Array.from({ length: 30 }, (_, b) => Array.from({ length: 200 }, (_, i) => minute(b * 100 + i, b)));

    await Promise.all(batches.map((batch, b) => (writers[b % writers.length] as HistoryStore).append('api', batch)));

    const stored = await store.read('api');
    expect(stored).toHaveLength(29 * 100 + 200);
    expect(stored.map((s) => s.t)).toEqual(Array.from({ length: 3100 }, (_, i) => T0 + i * 60_000));
  });
});

/** Irregular sub-step samples: several per step, whole steps missing, values that do not sum exactly. */
function irregularSamples(count: number): Sample[] {
  let x = 7;
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
