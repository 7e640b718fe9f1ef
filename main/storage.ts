import { dataDirLayout } from '../src/config/data-dir-layout';
import type { Config } from '../src/config/schema';
import { PostgresDatabase } from '../src/postgres/postgres-database';
import { resolvePostgresUrl } from '../src/postgres/postgres-url';
import type { HistoryStore } from '../src/store/history-store';
import { PostgresHistoryStore } from '../src/store/postgres-history-store';
import { type SqliteHistoryStoreOptions, SqliteHistoryStore } from '../src/store/sqlite-history-store';

/** The stores of `storage.backend`, and the one PostgreSQL pool they share (null on sqlite). */
export interface Storage {
  history: HistoryStore;
  /** The process's PostgreSQL database (pool + migrations) on the postgres backend; other PostgreSQL components (model registry, leader lock) use this one. */
  postgres: PostgresDatabase | null;
  /** Closes the history store, then the pool. */
  close(): Promise<void>;
}

/**
 * Opens the configured backend; `threads` says where reads and writes run, default on worker
 * threads (on PostgreSQL `stepReads` places all three of a push's and a refresh's statements:
 * one history worker runs appends, `last` and step reads). Nothing connects yet: PostgreSQL connects (and migrates) on
 * first use or on `postgres.ready()`, so a database that is down fails requests, not the start.
 * @throws {PrescaleError} INVALID_CONFIG naming `storage.postgres.urlFile` when that file cannot be read.
 */
export function openStorage(config: Readonly<Pick<Config, 'storage' | 'training' | 'actuator'>>, threads: SqliteHistoryStoreOptions = {}): Storage {
  if (config.storage.backend === 'postgres') {
    const postgres = PostgresDatabase.open(resolvePostgresUrl(config.storage));
    const history = new PostgresHistoryStore(postgres, threads.stepReads !== undefined ? { hotPath: threads.stepReads } : {});
    return {
      history,
      postgres,
      async close() {
        history.close();
        await postgres.close();
      },
    };
  }
  const history = new SqliteHistoryStore(dataDirLayout(config).historyFile, threads);
  return { history, postgres: null, close: async () => history.close() };
}
