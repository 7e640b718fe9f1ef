import type { Pool } from 'pg';

/** One versioned schema change. Ids sort in the order they apply (`0001_history`, …) and never change once shipped. */
export interface Migration {
  id: string;
  sql: string;
}

/** Any fixed 64-bit key: it serialises migration runs across replicas starting at once. */
const MIGRATION_LOCK_KEY = 0x70726573_63616c65n; // "prescale"

/**
 * Applies the migrations not yet recorded in `prescale_schema_migrations`, each in its own
 * transaction, under a transaction-level advisory lock so that replicas starting together
 * apply each one exactly once. Returns the ids applied by this call.
 */
export async function runMigrations(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // Under the lock too: two sessions running CREATE TABLE IF NOT EXISTS at once can both
    // miss the table and one then fails on the catalog's unique index (replicas starting together).
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      await client.query('CREATE TABLE IF NOT EXISTS prescale_schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    for (const migration of sorted) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
        const done = await client.query('SELECT 1 FROM prescale_schema_migrations WHERE id = $1', [migration.id]);
        if (done.rowCount === 0) {
          await client.query(migration.sql);
          await client.query('INSERT INTO prescale_schema_migrations (id) VALUES ($1)', [migration.id]);
          applied.push(migration.id);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`);
      }
    }
    return applied;
  } finally {
    client.release();
  }
}

/** Ids recorded as applied, oldest first. */
export async function appliedMigrations(pool: Pool): Promise<string[]> {
  const exists = await pool.query("SELECT to_regclass('prescale_schema_migrations') AS t");
  if (exists.rows[0]?.t === null) return [];
  const rows = await pool.query<{ id: string }>('SELECT id FROM prescale_schema_migrations ORDER BY id');
  return rows.rows.map((r) => r.id);
}
