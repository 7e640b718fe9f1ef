import { dataDirLayout } from '../src/config/data-dir-layout';
import type { Config } from '../src/config/schema';
import { PostgresDatabase } from '../src/postgres/postgres-database';
import { resolvePostgresUrl } from '../src/postgres/postgres-url';
import { FileModelRegistry } from '../training/registry/model-registry';
import { PostgresModelRegistry } from '../training/registry/postgres-model-registry';
import type { ModelRegistry } from '../training/registry/registry-store';

/**
 * The model registry of `storage.backend`, for the CLI (`prescale train`, `prescale models`):
 * the models folder on sqlite; on postgres the shared tables (schema brought up to date
 * first), so a Job's promotion reaches every serving replica through their watchers.
 */
export async function openModelRegistry(config: Readonly<Config>): Promise<{ registry: ModelRegistry; close(): Promise<void> }> {
  const { keepVersions } = config.training;
  if (config.storage.backend !== 'postgres') {
    return { registry: new FileModelRegistry(dataDirLayout(config).modelsDir, { keepVersions }), close: async () => undefined };
  }
  const url = resolvePostgresUrl(config.storage);
  const database = PostgresDatabase.open(url);
  try {
    await database.ready();
  } catch (err) {
    await database.close();
    throw err;
  }
  const registry = new PostgresModelRegistry({ pool: database.pool, url, keepVersions });
  return {
    registry,
    async close() {
      await registry.close();
      await database.close();
    },
  };
}
