import { openPostgresPool } from '../../src/postgres/postgres-pool';
import { FileModelRegistry } from './model-registry';
import { PostgresModelRegistry } from './postgres-model-registry';
import type { ModelRegistry, RegistryLocation } from './registry-store';

/**
 * Opens the registry a location names, for a training worker thread: a worker holds one small
 * pool per database for its life (a new pool per job would reconnect for every series).
 */
export function registryOpener(): (location: RegistryLocation) => ModelRegistry {
  const pools = new Map<string, ReturnType<typeof openPostgresPool>>();
  return (location) => {
    if (location.kind === 'files') return new FileModelRegistry(location.dir, { keepVersions: location.keepVersions });
    let pool = pools.get(location.url);
    if (!pool) {
      pool = openPostgresPool(location.url, { max: 2 });
      pools.set(location.url, pool);
    }
    return new PostgresModelRegistry({ pool, url: location.url, keepVersions: location.keepVersions });
  };
}
