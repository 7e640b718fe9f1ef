import { loadConfig } from '../../../src/config/load-config';
import { appliedMigrations, runMigrations } from '../../../src/postgres/migrations';
import { openPostgresPool } from '../../../src/postgres/postgres-pool';
import { resolvePostgresUrl } from '../../../src/postgres/postgres-url';
import { schemaMigrations } from '../../../src/postgres/schema-migrations';
import { redactSecrets } from '../../../src/telemetry/redact-secrets';
import { EXIT_FAILURE, EXIT_OK } from '../cli-errors';

/**
 * `prescale migrate [--config FILE]`: applies the PostgreSQL schema migrations not yet
 * applied to `storage.postgres` (url, urlFile or env PRESCALE_POSTGRES_URL) and prints each
 * id it applied. Safe beside running replicas: migrations run under the same advisory lock
 * a replica takes at start. A missing or malformed URL throws INVALID_CONFIG (exit 2, naming
 * the field); an unreachable database exits 1.
 */
export async function migrateCommand(options: { config?: string }, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const config = loadConfig({ file: options.config, env });
  const url = resolvePostgresUrl(config.storage);
  const pool = openPostgresPool(url, { max: 1 });
  try {
    const applied = await runMigrations(pool, schemaMigrations);
    for (const id of applied) out.write(`applied ${id}\n`);
    const all = await appliedMigrations(pool);
    out.write(`schema up to date: ${all.length} migration${all.length === 1 ? '' : 's'} applied, ${applied.length} by this run\n`);
    return EXIT_OK;
  } catch (error) {
    err.write(`prescale: ${redactSecrets((error as Error).message.split('\n')[0] ?? '')}\n`);
    return EXIT_FAILURE;
  } finally {
    await pool.end();
  }
}
