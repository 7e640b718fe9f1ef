import type { Pool } from 'pg';
import { type Migration, runMigrations } from './migrations';
import { openPostgresPool } from './postgres-pool';
import { schemaMigrations } from './schema-migrations';

/**
 * The process's one PostgreSQL database: its pool, and the schema brought up to date once
 * before first use. Every component on the postgres backend (history, model registry, leader
 * lock) takes this object and awaits `ready()` before its first query, so none of them runs
 * against a schema older than the code.
 */
export class PostgresDatabase {
  private migrated: Promise<string[]> | null = null;
  private closed = false;

  constructor(
    readonly pool: Pool,
    private readonly migrations: readonly Migration[] = schemaMigrations,
    /** The URL the pool was opened on, for components that open their own pool on a worker thread; null when unknown. */
    readonly url: string | null = null,
  ) {}

  /** Opens a pool on `url` (see `openPostgresPool`). */
  static open(url: string, migrations: readonly Migration[] = schemaMigrations): PostgresDatabase {
    return new PostgresDatabase(openPostgresPool(url), migrations, url);
  }

  /**
   * Resolves once every migration is applied (by this process or another replica: they run
   * under an advisory lock). A failure (database down) is not remembered: the next call tries
   * again, so a replica that started before its database recovers on the next request.
   * @returns the ids this process applied.
   * @throws an Error when the database cannot be reached or a migration fails.
   */
  ready(): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('the PostgreSQL pool is closed'));
    this.migrated ??= runMigrations(this.pool, this.migrations).catch((err: unknown) => {
      this.migrated = null;
      throw err;
    });
    return this.migrated;
  }

  /** Ends the pool once; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
