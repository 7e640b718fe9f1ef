/**
 * The backfill of `bench/scale.ts`: 14 days at 1 minute per series written straight through
 * the backend's HistoryStore (one `append` of 20,160 samples per series, the path a real
 * import takes), and the `storage` config the service then starts on. sqlite: a file in the
 * run's folder. postgres: a fresh database per run on one real PostgreSQL (Debian
 * `postgresql`, `bench/support/real-postgres.ts`), dropped after the run so 10,000-series
 * runs do not pile up on disk.
 */
import { join } from 'node:path';
import { PostgresDatabase } from '../src/postgres/postgres-database';
import type { Sample } from '../src/series/sample';
import type { HistoryStore } from '../src/store/history-store';
import { PostgresHistoryStore } from '../src/store/postgres-history-store';
import { SqliteHistoryStore } from '../src/store/sqlite-history-store';
import { RealPostgres } from './support/real-postgres';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const HISTORY_STEPS = 14 * 1440;
/** Appends in flight on PostgreSQL: the server works on one while the client encodes the next. */
const PG_APPENDS_IN_FLIGHT = 2;

/** A daily and weekly rhythm with noise, different per series, deterministic. */
export function load(i: number, t: number): number {
  const phase = (i * 0.37) % (2 * Math.PI);
  const day = Math.sin((2 * Math.PI * (t % DAY_MS)) / DAY_MS + phase);
  const week = Math.sin((2 * Math.PI * (t % (7 * DAY_MS))) / (7 * DAY_MS));
  const noise = Math.sin(t * 0.001 + i * 12.9898) * 43758.5453;
  return Math.max(0, 100 + (i % 50) + 60 * day + 15 * week + 8 * (noise - Math.floor(noise)));
}

function history(i: number, endMs: number): Sample[] {
  const samples = new Array<Sample>(HISTORY_STEPS);
  for (let k = 0; k < HISTORY_STEPS; k++) {
    const t = endMs - (HISTORY_STEPS - 1 - k) * MINUTE_MS;
    samples[k] = { t, v: load(i, t) };
  }
  return samples;
}

/** Writes every series' 14 days through `store`, `inFlight` appends at a time; returns seconds. */
async function fill(store: HistoryStore, series: readonly string[], endMs: number, inFlight: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < series.length) {
      const i = next++;
      await store.append(series[i] as string, history(i, endMs));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return (performance.now() - started) / 1000;
}

/** A backfilled history the service starts on. */
export interface Backfilled {
  seconds: number;
  /** Merged into the target's `storage` config. */
  storage: Record<string, unknown>;
  /** Frees what the run left (the postgres database); call after the service stopped. */
  cleanup(): Promise<void>;
}

export interface BackfillBackend {
  readonly name: 'sqlite' | 'postgres';
  backfill(dir: string, series: readonly string[], endMs: number): Promise<Backfilled>;
  close(): Promise<void>;
}

/** SQLite: one file in `dir` (the service's dataDir), written on this thread. */
export async function backfillSqlite(file: string, series: readonly string[], endMs: number): Promise<number> {
  const store = new SqliteHistoryStore(file, { stepReads: 'inline' });
  try {
    return await fill(store, series, endMs, 1);
  } finally {
    store.close();
  }
}

const sqliteBackend: BackfillBackend = {
  name: 'sqlite',
  async backfill(dir, series, endMs) {
    return { seconds: await backfillSqlite(join(dir, 'history.sqlite'), series, endMs), storage: {}, cleanup: async () => undefined };
  },
  close: async () => undefined,
};

/** PostgreSQL: starts one real server for the whole bench run. */
async function postgresBackend(): Promise<BackfillBackend> {
  const server = new RealPostgres();
  await server.start();
  let runs = 0;
  return {
    name: 'postgres',
    async backfill(_dir, series, endMs) {
      const database = `scale_${series.length}_${++runs}`;
      const url = await server.createDatabase(database);
      const db = PostgresDatabase.open(url);
      const store = new PostgresHistoryStore(db);
      let seconds: number;
      try {
        await db.ready(); // migrations are not backfill time
        seconds = await fill(store, series, endMs, PG_APPENDS_IN_FLIGHT);
        // Planner statistics, as autovacuum would have them on a database in service (a sampled read, seconds).
        await db.pool.query('ANALYZE prescale_samples');
      } finally {
        store.close();
        await db.close();
      }
      return { seconds, storage: { backend: 'postgres', postgres: { url } }, cleanup: () => server.sql('postgres', `DROP DATABASE IF EXISTS "${database}"`).then(() => undefined) };
    },
    close: () => server.destroy(),
  };
}

export function openBackfillBackend(name: 'sqlite' | 'postgres'): Promise<BackfillBackend> {
  return name === 'postgres' ? postgresBackend() : Promise.resolve(sqliteBackend);
}
