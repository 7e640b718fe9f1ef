/**
 * The registry watcher's poll on a real PostgreSQL (Debian `postgresql`, started by
 * `RealPostgres`): it reads the one-row change counter and, only when it moved, the pointer
 * rows above the highest generation it covered. The pool handed to the watcher is the real
 * pool seen through a Proxy that counts the rows each of the watcher's named queries returned.
 */
import type { Pool, QueryConfig, QueryResult } from 'pg';
import { runMigrations } from '../../../src/postgres/migrations';
import { openPostgresPool } from '../../../src/postgres/postgres-pool';
import { schemaMigrations } from '../../../src/postgres/schema-migrations';
import { PostgresModelRegistry } from '../../../training/registry/postgres-model-registry';
import { PostgresRegistryWatcher } from '../../../training/registry/postgres-registry-watcher';
import { artifact, manifest } from '../../helpers/registry-fixtures';
import { RealPostgres } from '../../helpers/real-postgres';

jest.setTimeout(60_000);

/** Nothing listens on port 1: LISTEN fails at once, so only the poll can report a change. */
const NO_LISTEN_URL = 'postgres://postgres@127.0.0.1:1/postgres';

const postgres = new RealPostgres();
let databases = 0;
beforeAll(() => postgres.start());
afterAll(() => postgres.destroy());

interface Observed {
  pool: Pool;
  /** Rows returned per query name. */
  rows: Map<string, number>;
  calls: Map<string, number>;
}

function observe(pool: Pool): Observed {
  const rows = new Map<string, number>();
  const calls = new Map<string, number>();
  const proxy = new Proxy(pool, {
    get(target, prop) {
      if (prop === 'query') {
        return async (config: QueryConfig) => {
          const result = (await target.query(config)) as QueryResult;
          const name = config.name ?? config.text;
          rows.set(name, (rows.get(name) ?? 0) + result.rows.length);
          calls.set(name, (calls.get(name) ?? 0) + 1);
          return result;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { pool: proxy, rows, calls };
}

async function database(): Promise<{ url: string; pool: Pool }> {
  const url = await postgres.createDatabase(`watcher${++databases}`);
  const pool = openPostgresPool(url, { max: 4 });
  await runMigrations(pool, schemaMigrations);
  return { url, pool };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgresRegistryWatcher poll', () => {
  it('at 10,000 pointer rows reads one row per poll while nothing changes, and only the changed row after a promotion', async () => {
    const { url, pool } = await database();
    await pool.query("INSERT INTO prescale_model_serving (series, promoted, generation) SELECT 's' || g, 'v999999', g FROM generate_series(1, 10000) g");
    await pool.query('UPDATE prescale_model_serving_changes SET counter = 10000');
    const seen = observe(pool);
    const watcher = new PostgresRegistryWatcher({ pool: seen.pool, url: NO_LISTEN_URL, pollIntervalMs: 50 });
    const heard: string[] = [];
    watcher.subscribe((s) => heard.push(s));
    const registry = new PostgresModelRegistry({ pool, url, keepVersions: 10, pollIntervalMs: 60_000 });
    try {
      await waitFor(() => (seen.calls.get('registry-change-counter') ?? 0) >= 10, 5000);
      expect(seen.rows.get('registry-change-counter')).toBe(seen.calls.get('registry-change-counter'));
      expect(seen.calls.get('registry-changed-since')).toBeUndefined();

      await registry.save(manifest('s42', 'promoted'), artifact(2));
      await waitFor(() => heard.length > 0, 5000);
      await sleep(300); // more polls: nothing is reported twice
      expect(heard).toEqual(['s42']);
      expect(seen.calls.get('registry-changed-since')).toBe(1);
      expect(seen.rows.get('registry-changed-since')).toBe(1);
    } finally {
      await watcher.close();
      await registry.close();
      await pool.end();
    }
  });

  it('misses no change that commits after a higher one was drawn: the counter makes later draws wait for the commit', async () => {
    const { url, pool } = await database();
    await pool.query("INSERT INTO prescale_model_serving (series, generation) VALUES ('a', 0)");
    const watcher = new PostgresRegistryWatcher({ pool, url: NO_LISTEN_URL, pollIntervalMs: 50 });
    const heard: string[] = [];
    watcher.subscribe((s) => heard.push(s));
    const registry = new PostgresModelRegistry({ pool, url, keepVersions: 10, pollIntervalMs: 60_000 });
    const slow = await pool.connect();
    try {
      await sleep(200); // the baseline poll
      // A writer draws its generation and holds its transaction open …
      await slow.query('BEGIN');
      await slow.query(
        "WITH change AS (UPDATE prescale_model_serving_changes SET counter = counter + 1 RETURNING counter) UPDATE prescale_model_serving SET promoted = 'v000009', generation = (SELECT counter FROM change) WHERE series = 'a'",
      );
      // … while another series is promoted through the registry: its draw waits for the first commit.
      const promoting = registry.save(manifest('b', 'promoted'), artifact(1));
      await sleep(300);
      expect(heard).toEqual([]);
      await slow.query('COMMIT');
      await promoting;
      await waitFor(() => heard.length >= 2, 5000);
      await sleep(200);
      expect([...heard].sort()).toEqual(['a', 'b']);
    } finally {
      slow.release();
      await watcher.close();
      await registry.close();
      await pool.end();
    }
  });

  it('reports a promotion heard through NOTIFY once, though the next polls see it too', async () => {
    const { url, pool } = await database();
    const watcher = new PostgresRegistryWatcher({ pool, url, pollIntervalMs: 50 });
    const heard: string[] = [];
    watcher.subscribe((s) => heard.push(s));
    const registry = new PostgresModelRegistry({ pool, url, keepVersions: 10, pollIntervalMs: 60_000 });
    try {
      await sleep(500); // LISTEN connects; the baseline poll ran
      await registry.save(manifest('web', 'promoted'), artifact(1));
      await waitFor(() => heard.length > 0, 3000);
      await sleep(300);
      await registry.rollback('web').catch(() => undefined); // nothing to roll back to: no change, no report
      await registry.save(manifest('web', 'promoted'), artifact(2));
      await waitFor(() => heard.length > 1, 3000);
      await sleep(300);
      expect(heard).toEqual(['web', 'web']);
    } finally {
      await watcher.close();
      await registry.close();
      await pool.end();
    }
  });
});
