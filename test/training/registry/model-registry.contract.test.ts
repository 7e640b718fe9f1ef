/**
 * The `ModelRegistry` contract, run against both implementations on the same cases: the
 * models folder (`FileModelRegistry`, on a temporary folder) and the PostgreSQL tables
 * (`PostgresModelRegistry`, on a real PostgreSQL started by `RealPostgres`, one database per
 * case). File-specific behaviour (atomic folders, tfjs files) stays in model-registry.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { runMigrations } from '../../../src/postgres/migrations';
import { openPostgresPool } from '../../../src/postgres/postgres-pool';
import { schemaMigrations } from '../../../src/postgres/schema-migrations';
import { FileModelRegistry } from '../../../training/registry/model-registry';
import { PostgresModelRegistry } from '../../../training/registry/postgres-model-registry';
import type { ModelRegistry } from '../../../training/registry/registry-store';
import { artifact, manifest } from '../../helpers/registry-fixtures';
import { RealPostgres } from '../../helpers/real-postgres';

interface Arena {
  /** A registry over the shared storage; two calls give two handles on the same registry (two replicas). */
  open(keepVersions?: number): ModelRegistry;
  close(): Promise<void>;
}

const postgres = new RealPostgres();
let started = false;
let databases = 0;
afterAll(() => postgres.destroy());

const implementations: [string, () => Promise<Arena>][] = [
  [
    'FileModelRegistry',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'prescale-registry-contract-'));
      return { open: (keepVersions = 10) => new FileModelRegistry(dir, { keepVersions }), close: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'PostgresModelRegistry (real PostgreSQL)',
    async () => {
      if (!started) await postgres.start();
      started = true;
      const url = await postgres.createDatabase(`registry${++databases}`);
      const pools: Pool[] = [];
      const registries: PostgresModelRegistry[] = [];
      const first = openPostgresPool(url, { max: 4 });
      pools.push(first);
      await runMigrations(first, schemaMigrations);
      return {
        open: (keepVersions = 10) => {
          // Each handle has its own pool, as each replica does.
          const pool = registries.length === 0 ? first : openPostgresPool(url, { max: 4 });
          if (pool !== first) pools.push(pool);
          const registry = new PostgresModelRegistry({ pool, url, keepVersions, pollIntervalMs: 200 });
          registries.push(registry);
          return registry;
        },
        close: async () => {
          for (const r of registries) await r.close();
          for (const p of pools) await p.end();
        },
      };
    },
  ],
];

describe.each(implementations)('ModelRegistry contract: %s', (_name, arenaFor) => {
  let arena: Arena;
  beforeEach(async () => {
    arena = await arenaFor();
  });
  afterEach(() => arena.close());

  it('numbers versions in order and reads manifest, state and weights back unchanged', async () => {
    const registry = arena.open();
    const v1 = await registry.save(manifest('api', 'promoted'), artifact(1));
    const v2 = await registry.save(manifest('api', 'rejected', 0.7), artifact(2));

    expect([v1, v2]).toEqual(['v000001', 'v000002']);
    const { manifest: m, artifact: a } = await registry.load('api', v2);
    expect(a).toMatchObject({ kind: 'seasonal-naive', formatVersion: 1, state: { n: 2 } });
    expect(Array.from(new Float32Array(a.weights!.slice().buffer))).toEqual([2, 3]);
    expect(m).toMatchObject({ series: 'api', version: 'v000002', decision: 'rejected', gate: { candidate: { mase: 0.7 } } });
    expect((await registry.versions('api')).map((v) => v.version)).toEqual(['v000001', 'v000002']);
    expect(await registry.seriesNames()).toEqual(['api']);
  });

  it('promotes a passing candidate, keeps a rejected one out, and rolls back to the previous version', async () => {
    const registry = arena.open();
    expect(await registry.serving('api')).toEqual({ promoted: null, history: [] });
    await registry.save(manifest('api', 'promoted'), artifact(1));
    await registry.save(manifest('api', 'rejected'), artifact(2));
    expect((await registry.serving('api')).promoted).toBe('v000001');
    await registry.save(manifest('api', 'promoted'), artifact(3));
    expect(await registry.serving('api')).toEqual({ promoted: 'v000003', history: ['v000001'] });

    expect(await registry.rollback('api')).toEqual({ promoted: 'v000001', history: [] });
    expect(await registry.serving('api')).toEqual({ promoted: 'v000001', history: [] });
    await expect(Promise.resolve().then(() => registry.rollback('api'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });

  it('promotes a named version by hand and refuses an unknown one, leaving the pointer as it was', async () => {
    const registry = arena.open();
    await registry.save(manifest('api', 'promoted'), artifact(1));
    await registry.save(manifest('api', 'rejected'), artifact(2));

    expect(await registry.promote('api', 'v000002')).toEqual({ promoted: 'v000002', history: ['v000001'] });
    await expect(Promise.resolve().then(() => registry.promote('api', 'v000009'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'version' });
    await expect(registry.load('api', 'v000009')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(await registry.serving('api')).toEqual({ promoted: 'v000002', history: ['v000001'] });
  });

  it('keeps keepVersions versions plus the promoted one and the one a rollback serves, and never lets a rollback name a deleted version', async () => {
    const registry = arena.open(2);
    await registry.save(manifest('api', 'promoted'), artifact(1)); // v1 promoted
    await registry.save(manifest('api', 'promoted'), artifact(2)); // v2 promoted, history [v1]
    for (let n = 3; n <= 6; n++) await registry.save(manifest('api', 'rejected'), artifact(n));

    const kept = (await registry.versions('api')).map((v) => v.version);
    expect(kept).toEqual(['v000001', 'v000002', 'v000005', 'v000006']);
    await registry.save(manifest('api', 'promoted'), artifact(7)); // v7 promoted, history [v1, v2]
    const after = (await registry.versions('api')).map((v) => v.version);
    expect(after).toEqual(['v000002', 'v000006', 'v000007']);
    expect(await registry.serving('api')).toEqual({ promoted: 'v000007', history: ['v000002'] });
    expect((await registry.rollback('api')).promoted).toBe('v000002');
  });

  it('two handles on one registry (two replicas) see each other’s versions and promotions, and number concurrent saves without a clash', async () => {
    const [a, b] = [arena.open(), arena.open()];
    await a.save(manifest('api', 'promoted'), artifact(1));
    const names = await Promise.all([a.save(manifest('api', 'rejected'), artifact(2)), b.save(manifest('api', 'rejected'), artifact(3))]);

    expect(names.sort()).toEqual(['v000002', 'v000003']);
    await b.promote('api', 'v000003');
    expect((await a.serving('api')).promoted).toBe('v000003');
    expect((await a.versions('api')).map((v) => v.version)).toEqual(['v000001', 'v000002', 'v000003']);
  });
});

describe('PostgresModelRegistry', () => {
  let pool: Pool;
  let url: string;
  const registries: PostgresModelRegistry[] = [];
  const open = (): PostgresModelRegistry => {
    const r = new PostgresModelRegistry({ pool, url, keepVersions: 10, pollIntervalMs: 60_000 });
    registries.push(r);
    return r;
  };
  beforeAll(async () => {
    if (!started) await postgres.start();
    started = true;
    url = await postgres.createDatabase('registry_watch');
    pool = openPostgresPool(url, { max: 4 });
    await runMigrations(pool, schemaMigrations);
  });
  afterAll(async () => {
    for (const r of registries) await r.close();
    await pool.end();
  });

  it('tells a watcher on another handle of a promotion and a rollback through NOTIFY, well before its (minute-long) poll', async () => {
    const [writer, reader] = [open(), open()];
    const heard: string[] = [];
    reader.watch((series) => heard.push(series));
    await new Promise((r) => setTimeout(r, 500)); // the watcher's LISTEN session connects
    await writer.save(manifest('web', 'promoted'), artifact(1));
    await writer.save(manifest('web', 'promoted'), artifact(2));
    await waitFor(() => heard.length >= 2, 3000);
    await writer.rollback('web');
    await waitFor(() => heard.length >= 3, 3000);

    expect(heard).toEqual(['web', 'web', 'web']);
    expect((await reader.serving('web')).promoted).toBe('v000001');
  });

  it('records promoted, rejected and rollback events in order, each pointer move in the same transaction as its event', async () => {
    const registry = open();
    await registry.save(manifest('db', 'promoted'), artifact(1));
    await registry.save(manifest('db', 'rejected'), artifact(2));
    await registry.promote('db', 'v000002');
    await registry.rollback('db');

    const events = (await registry.events('db')).map((e) => [e.event, e.version, e.previous]);
    expect(events).toEqual([
      ['promoted', 'v000001', null],
      ['rejected', 'v000002', null],
      ['promoted', 'v000002', 'v000001'],
      ['rollback', 'v000001', 'v000002'],
    ]);
  });

  it('a failed promotion leaves no event and no pointer change behind (the transaction rolled back)', async () => {
    const registry = open();
    await registry.save(manifest('cache', 'promoted'), artifact(1));
    await expect(registry.promote('cache', 'v000042')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });

    expect((await registry.events('cache')).map((e) => e.event)).toEqual(['promoted']);
    expect(await registry.serving('cache')).toEqual({ promoted: 'v000001', history: [] });
  });

  it('refuses a stored manifest with a bad field by name, instead of failing later inside a model', async () => {
    const registry = open();
    await registry.save(manifest('broken', 'promoted'), artifact(1));
    await pool.query(`UPDATE prescale_model_versions SET manifest = manifest - 'stepSeconds' WHERE series = 'broken'`);

    await expect(registry.load('broken', 'v000001')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'stepSeconds' });
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
