import { PostgresDatabase } from '../../src/postgres/postgres-database';
import { PostgresHistoryStore } from '../../src/store/postgres-history-store';
import type { RealPostgres } from './real-postgres';

/** PostgreSQL history stores on one test database, each on its own pool as a separate replica would be. */
export interface PostgresStoreReplicas {
  open(): PostgresHistoryStore;
  /** Empties `prescale_samples` (when the migrations have created it). */
  wipe(): Promise<void>;
  /** Closes every store opened, and its pool. */
  closeAll(): Promise<void>;
}

/** Where the stores connect: read at each call, since suites build their replicas before `beforeAll` starts the server. */
export interface ReplicaDatabase {
  pg: RealPostgres;
  /** The database's name in `pg`, and its URL. */
  name: string;
  url: string;
}

/** `inline`: every statement on the store's own pool; `worker`: as the service runs them (appends and reads on a thread with its own pool, from dist/). */
export function postgresStoreReplicas(database: () => ReplicaDatabase, hotPath: 'inline' | 'worker'): PostgresStoreReplicas {
  const opened: { db: PostgresDatabase; store: PostgresHistoryStore }[] = [];
  return {
    open: () => {
      const db = PostgresDatabase.open(database().url);
      const store = new PostgresHistoryStore(db, { hotPath });
      opened.push({ db, store });
      return store;
    },
    wipe: async () => {
      const { pg, name } = database();
      if ((await pg.sql(name, "SELECT to_regclass('prescale_samples') IS NOT NULL")) === 't') await pg.sql(name, 'TRUNCATE prescale_samples');
    },
    closeAll: async () => {
      for (const { db, store } of opened.splice(0)) {
        store.close();
        await db.close();
      }
    },
  };
}
