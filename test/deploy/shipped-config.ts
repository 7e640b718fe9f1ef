import { parseConfig } from '../../src/config/load-config';

/**
 * The shipped config, parsed with the real schema. `storage.backend` and `storage.postgres`
 * come with the PostgreSQL history store; on a tree whose schema does not know them yet, the
 * rest of the config is still checked (without those two keys), and after the merge the whole
 * file is, because the probe below then parses.
 */
export function parseShippedConfig(raw: { storage?: object }): ReturnType<typeof parseConfig> {
  const schemaKnowsPostgres = (() => {
    try {
      parseConfig({ storage: { backend: 'sqlite' } });
      return true;
    } catch {
      return false;
    }
  })();
  if (schemaKnowsPostgres || raw.storage === undefined) return parseConfig(raw);
  const { backend: _backend, postgres: _postgres, ...storage } = raw.storage as Record<string, unknown>;
  return parseConfig({ ...raw, storage });
}
