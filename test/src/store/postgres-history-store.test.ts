import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { PostgresDatabase } from '../../../src/postgres/postgres-database';
import { schemaMigrations } from '../../../src/postgres/schema-migrations';
import type { Sample } from '../../../src/series/sample';
import { PostgresHistoryStore } from '../../../src/store/postgres-history-store';
import { SAMPLES_CHANNEL } from '../../../src/store/postgres-sample-queries';
import { postgresStoreReplicas } from '../../helpers/postgres-store-replicas';
import { RealPostgres } from '../../helpers/real-postgres';

// What only the PostgreSQL store does, on a real PostgreSQL (initdb + postgres on a loopback
// port): notifications between replicas, the history thread, the group commit. The behaviour
// both backends share is in history-store.contract.test.ts.

const T0 = Date.UTC(2026, 10, 26, 10);
const minute = (i: number, v: number): Sample => ({ t: T0 + i * 60_000, v });

let pg: RealPostgres;
let pgUrl: string;

beforeAll(async () => {
  pg = new RealPostgres();
  await pg.start();
  pgUrl = await pg.createDatabase('store');
}, 60_000);
afterAll(() => pg.destroy());

describe('PostgreSQL history store across replicas', () => {
  const backend = postgresStoreReplicas(() => ({ pg, name: 'store', url: pgUrl }), 'worker');
  beforeEach(() => backend.wipe());
  afterEach(() => backend.closeAll());

  it("tells a replica about another replica's append, and not about its own", async () => {
    const writer = backend.open();
    const reader = backend.open();
    const seenByReader: (string | null)[] = [];
    const seenByWriter: (string | null)[] = [];
    reader.onExternalChange!((s) => seenByReader.push(s));
    writer.onExternalChange!((s) => seenByWriter.push(s));
    await reader.last('api'); // subscribed (LISTEN) before the first call returns
    await writer.last('api');

    await writer.append('api', [minute(0, 1)]);
    await writer.append('api', [minute(0, 1)]); // a re-send changes nothing: no notification
    await writer.append('other', [minute(0, 2)]);
    await waitFor(() => seenByReader.length >= 2);
    await new Promise((r) => setTimeout(r, 200));

    expect(seenByReader).toEqual(['api', 'other']);
    expect(seenByWriter).toEqual([]);
  });

  it('tells another replica about every series of a push that became one statement, a hundred series per notification', async () => {
    const writer = backend.open();
    const reader = backend.open();
    const seen = new Set<string | null>();
    reader.onExternalChange!((s) => seen.add(s));
    await reader.last('api');
    const payloads = await listenRaw(pgUrl);
    // Names of the longest kind allowed (63 characters), so three notifications come close to the 8,000-byte payload limit.
    const names = Array.from({ length: 250 }, (_, i) => `s${String(i).padStart(3, '0')}-`.padEnd(63, 'x'));

    try {
      await Promise.all(names.map((name, i) => writer.append(name, [minute(0, i)])));
      await waitFor(() => seen.size >= names.length && payloads.received.length >= 3);

      expect([...seen].sort()).toEqual([...names].sort());
      expect(payloads.received.map((p) => p.split(' ').length - 1).sort((a, b) => a - b)).toEqual([50, 100, 100]);
      expect(Math.max(...payloads.received.map((p) => Buffer.byteLength(p)))).toBeLessThan(8000);
    } finally {
      await payloads.close();
    }
  });

  it('two replicas deleting the same range at once delete each sample once', async () => {
    const a = backend.open();
    const b = backend.open();
    await a.append('api', Array.from({ length: 5000 }, (_, i) => minute(i, i)));

    const counts = await Promise.all([a.deleteBefore('api', T0 + 4000 * 60_000), b.deleteBefore('api', T0 + 4000 * 60_000)]);

    expect(counts[0] + counts[1]).toBe(4000);
    expect((await a.stats('api'))!.count).toBe(1000);
  });

  it('creates its schema once when replicas start together, and records the migration', async () => {
    // An empty database: every object the migrations create (the registry's too: the store runs the whole list).
    await pg.sql('store', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const replicas = [backend.open(), backend.open(), backend.open()];

    await Promise.all(replicas.map((r, i) => r.append('api', [minute(i, i)])));

    expect((await pg.sql('store', 'SELECT id FROM prescale_schema_migrations ORDER BY id')).split('\n')).toEqual(schemaMigrations.map((m) => m.id));
    expect((await replicas[0]!.read('api')).map((s) => s.v)).toEqual([0, 1, 2]);
  });
});

describe('PostgreSQL history store with its history thread', () => {
  it('posts the appends of one turn to the worker as one message, and a refused batch fails alone with its SQLSTATE', async () => {
    const db = PostgresDatabase.open(pgUrl);
    const store = new PostgresHistoryStore(db, { hotPath: 'worker' });
    try {
      await store.append('warm-up', [minute(0, 0)]); // the worker started, migrations and LISTEN done
      const posted = jest.spyOn(Worker.prototype, 'postMessage');

      const results = await Promise.allSettled([...Array.from({ length: 20 }, (_, i) => store.append(`s${i}`, [minute(1, i)])), store.append('bad\u0000name', [minute(1, 0)])]);

      expect(posted).toHaveBeenCalledTimes(1);
      expect(results.slice(0, 20).every((r) => r.status === 'fulfilled' && r.value.changed === 1)).toBe(true);
      const refused = results[20] as PromiseRejectedResult;
      expect(refused.status).toBe('rejected');
      // 22021: character_not_in_repertoire, revived with its code on this side of the thread boundary.
      expect((refused.reason as { code?: string }).code).toBe('22021');
      expect(await pg.sql('store', "SELECT count(*) FROM prescale_samples WHERE series LIKE 's%'")).toBe('20');
    } finally {
      jest.restoreAllMocks();
      store.close();
      await db.close();
      await pg.sql('store', 'TRUNCATE prescale_samples');
    }
  });


  it("runs a push's and a refresh's statements on the worker's pool, not the serving thread's", async () => {
    const db = PostgresDatabase.open(pgUrl);
    const store = new PostgresHistoryStore(db, { hotPath: 'worker' });
    try {
      await store.append('api', [minute(0, 1)]); // migrations and LISTEN: on this thread's pool, once
      const onServingThread = jest.spyOn(db.pool, 'query');

      await store.append('api', [minute(1, 2), minute(2, 3)]);
      const folded = await store.readSteps('api', { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
      const last = await store.last('api');

      expect(onServingThread).not.toHaveBeenCalled();
      expect(Array.from(folded.values)).toEqual([1, 2, 3]);
      expect(last).toEqual(minute(2, 3));
      // The counts still run here (one statement per series, at start).
      await store.stats('api');
      expect(onServingThread).toHaveBeenCalledTimes(1);
    } finally {
      store.close();
      await db.close();
      await pg.sql('store', 'TRUNCATE prescale_samples');
    }
  });
});

describe('PostgreSQL history store group commit', () => {
  let db: PostgresDatabase;
  let store: PostgresHistoryStore;
  beforeEach(async () => {
    db = PostgresDatabase.open(pgUrl);
    store = new PostgresHistoryStore(db, { hotPath: 'inline' });
    await store.append('warm-up', [minute(0, 0)]); // migrations and LISTEN out of the way
  });
  afterEach(async () => {
    store.close();
    await db.close();
    await pg.sql('store', 'TRUNCATE prescale_samples');
  });
  const appendStatements = (spy: jest.SpyInstance): number => spy.mock.calls.filter(([config]) => /^prescale_append/.test((config as { name?: string }).name ?? '')).length;

  it('upserts the appends made in one turn (a push of many series) in one statement', async () => {
    const query = jest.spyOn(db.pool, 'query');

    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(`s${i}`, [minute(1, i), minute(2, i)])));

    expect(appendStatements(query)).toBe(1);
    expect(results.every((r) => r.changed === 2)).toBe(true);
    expect(await pg.sql('store', "SELECT count(*) FROM prescale_samples WHERE series LIKE 's%'")).toBe('200');
  });

  it('fails only the batch the server refuses; the others of its statement are stored', async () => {
    const query = jest.spyOn(db.pool, 'query');

    const [ok1, refused, ok2] = await Promise.allSettled([
      store.append('a', [minute(1, 1)]),
      store.append('bad\u0000name', [minute(1, 2)]), // PostgreSQL text cannot hold a NUL byte
      store.append('c', [minute(1, 3)]),
    ]);

    expect(ok1).toEqual({ status: 'fulfilled', value: { stored: 1, changed: 1 } });
    expect(ok2).toEqual({ status: 'fulfilled', value: { stored: 1, changed: 1 } });
    expect(refused.status).toBe('rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toMatch(/0x00/);
    // One statement for the three, then one each.
    expect(appendStatements(query)).toBe(4);
    expect(await pg.sql('store', "SELECT string_agg(series || '=' || v, ',' ORDER BY series) FROM prescale_samples WHERE series <> 'warm-up'")).toBe('a=1,c=3');
  });
});

describe.each(['worker', 'inline'] as const)('PostgreSQL history store (%s): each batch is acknowledged when its own statement commits', (hotPath) => {
  it('answers the batch of the first statement while a later statement of the same group waits on a row lock', async () => {
    const db = PostgresDatabase.open(pgUrl);
    const store = new PostgresHistoryStore(db, { hotPath });
    const locker = new Client({ connectionString: pgUrl });
    await locker.connect();
    try {
      await store.append('b', [minute(1, 0)]);
      // Another session holds b's row: an upsert of it waits until that transaction ends.
      await locker.query('BEGIN');
      await locker.query("SELECT v FROM prescale_samples WHERE series = 'b' FOR UPDATE");

      // One group, two statements: 'a' twice cannot be one statement, so the plan is [a], [a, b].
      const settled: string[] = [];
      const first = store.append('a', [minute(1, 1)]).then(() => settled.push('a first'));
      const second = store.append('a', [minute(2, 2)]).then(() => settled.push('a second'));
      const blocked = store.append('b', [minute(1, 3)]).then(() => settled.push('b'));

      // Without per-statement answers this waits for the lock, that is for ever: fail in seconds instead.
      await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('the first batch was held until the whole group committed')), 10_000).unref())]);
      // The group's second statement is still waiting for the lock, and 'a first' was answered anyway.
      expect(settled).toEqual(['a first']);
      expect(await pg.sql('store', "SELECT count(*) FROM pg_locks WHERE NOT granted")).not.toBe('0');

      await locker.query('COMMIT');
      await Promise.all([second, blocked]);
      expect(settled.slice(1).sort()).toEqual(['a second', 'b']);
      expect(await pg.sql('store', "SELECT string_agg(series || '@' || ((t - " + String(T0) + ") / 60000)::int || '=' || v, ',' ORDER BY series, t) FROM prescale_samples")).toBe('a@1=1,a@2=2,b@1=3');
    } finally {
      await locker.end();
      store.close();
      await db.close();
      await pg.sql('store', 'TRUNCATE prescale_samples');
    }
  });
});

/** A plain LISTEN session on the samples channel (no store): what every replica's listener receives. */
async function listenRaw(url: string): Promise<{ received: string[]; close: () => Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const received: string[] = [];
  client.on('notification', (msg) => received.push(msg.payload ?? ''));
  await client.query(`LISTEN ${SAMPLES_CHANNEL}`);
  return { received, close: () => client.end() };
}

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
}
