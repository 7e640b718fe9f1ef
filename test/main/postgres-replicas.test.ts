import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { RealPostgres } from '../helpers/real-postgres';
import { collect, freePort, spawnCli, tempDir, waitFor } from '../helpers/test-server';
import { syntheticLoad } from '../helpers/synthetic-series';
import { replicaConfig } from '../../bench/support/replica-config';

/**
 * Two real `prescale serve` processes on one real PostgreSQL (storage.backend postgres, URL
 * from PRESCALE_POSTGRES_URL): a model trained and promoted through one is served by the
 * other within seconds, a rollback through the other is served by the first; and with the
 * advisory-lock leader (the default outside a cluster on postgres), `kill -9` of the leader
 * hands leadership, and the scheduled training round, to the survivor.
 */
const HOUR = 3600_000;
const CONFIG = replicaConfig('postgres');

interface Replica {
  child: ChildProcess;
  url: string;
  done: Promise<unknown>;
}

const postgres = new RealPostgres();
let dir: ReturnType<typeof tempDir>;
let databaseUrl: string;
const replicas: Replica[] = [];

beforeAll(async () => {
  dir = tempDir('pg-replicas');
  writeFileSync(join(dir.path, 'prescale.yaml'), CONFIG);
  await postgres.start();
  databaseUrl = await postgres.createDatabase('replicas');
}, 60_000);
afterAll(async () => {
  for (const r of replicas) r.child.kill('SIGKILL');
  await Promise.all(replicas.map((r) => r.done));
  await postgres.destroy();
  dir.remove();
});

async function startReplica(name: string): Promise<Replica> {
  const port = await freePort();
  const child = spawnCli(['serve', '--config', join(dir.path, 'prescale.yaml')], {
    PORT: String(port),
    HOST: '127.0.0.1',
    PRESCALE_DATA_DIR: join(dir.path, name),
    PRESCALE_POSTGRES_URL: databaseUrl,
  });
  const replica = { child, url: `http://127.0.0.1:${port}`, done: collect(child, 600_000).catch(() => undefined) };
  replicas.push(replica);
  await waitFor(async () => ((await fetch(`${replica.url}/healthz`).catch(() => null))?.ok ? true : undefined), 60_000, `${name} to listen`);
  return replica;
}

const json = async (url: string): Promise<Record<string, unknown> | undefined> => {
  const res = await fetch(url).catch(() => null);
  return res?.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
};
const leaderOf = async (r: Replica) => (await json(`${r.url}/v1/status`))?.['leader'] as { leader: boolean; adapter: string; identity: string; since: string | null } | undefined;

describe('two prescale serve replicas on one PostgreSQL', () => {
  let a: Replica;
  let b: Replica;

  it('serves on the other replica, within seconds, the model promoted and rolled back through one', async () => {
    [a, b] = [await startReplica('a'), await startReplica('b')];
    const endMs = Math.floor(Date.now() / HOUR) * HOUR;
    const values = syntheticLoad({ days: 20, stepSeconds: 3600 }).values;
    const samples = Array.from(values, (v, i) => ({ t: (endMs - (values.length - 1 - i) * HOUR) / 1000, v }));
    expect((await fetch(`${a.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) })).status).toBe(200);

    // Promote through A by hand (the scheduled rounds on the leader may register versions too).
    const listing = await waitFor(async () => {
      const l = (await json(`${a.url}/v1/models/api-rps`)) as { promoted: string | null; versions: { version: string }[] } | undefined;
      return l && l.versions.length >= 2 ? l : undefined;
    }, 240_000, 'two trained versions');
    const target = listing.versions.find((v) => v.version !== listing.promoted)!.version;
    const promoted = await fetch(`${a.url}/v1/models/api-rps/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: target }) });
    expect(promoted.status).toBe(200);
    const t0 = performance.now();
    await waitFor(async () => ((await json(`${b.url}/v1/models/api-rps`))?.['promoted'] === target ? true : undefined), 15_000, 'B to list the promotion');
    await waitFor(async () => ((await json(`${b.url}/v1/status`)) as { models?: Record<string, { promoted: string | null }> } | undefined)?.models?.['api-rps']?.promoted === target || undefined, 15_000, 'B to serve it');
    const promoteSeconds = (performance.now() - t0) / 1000;

    const rolledBack = (await (await fetch(`${b.url}/v1/models/api-rps/rollback`, { method: 'POST' })).json()) as { promoted: string };
    const t1 = performance.now();
    await waitFor(async () => ((await json(`${a.url}/v1/status`)) as { models?: Record<string, { promoted: string | null }> } | undefined)?.models?.['api-rps']?.promoted === rolledBack.promoted || undefined, 15_000, 'A to serve the rollback');
    const rollbackSeconds = (performance.now() - t1) / 1000;
    console.log(`replicas: promotion via A served by B after ${promoteSeconds.toFixed(2)} s; rollback via B served by A after ${rollbackSeconds.toFixed(2)} s`);

    expect(rolledBack.promoted).not.toBe(target);
    expect(promoteSeconds).toBeLessThan(10);
    expect(rollbackSeconds).toBeLessThan(10);
    // The same model version on both replicas gives the same forecast from the same history.
    const [fa, fb] = [await json(`${a.url}/v1/forecasts/api-rps`), await json(`${b.url}/v1/forecasts/api-rps`)];
    expect(fa?.['points']).toEqual(fb?.['points']);
  }, 420_000);

  it('hands leadership and the scheduled training to the survivor when the advisory-lock leader is killed with kill -9', async () => {
    const statuses = await waitFor(async () => {
      const s = [await leaderOf(a), await leaderOf(b)];
      return s.filter((x) => x?.leader).length === 1 ? s : undefined;
    }, 15_000, 'exactly one leader');
    expect(statuses.map((s) => s?.adapter)).toEqual(['postgres-advisory-lock', 'postgres-advisory-lock']);
    const [leader, survivor] = statuses[0]?.leader ? [a, b] : [b, a];

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    const took = await waitFor(async () => ((await leaderOf(survivor))?.leader ? Date.now() : undefined), 15_000, 'the survivor to lead');
    const trained = await waitFor(async () => {
      const jobs = (await json(`${survivor.url}/v1/status`))?.['trainingJobs'] as { lastRound: { startedAt: string } | null } | undefined;
      const started = jobs?.lastRound ? Date.parse(jobs.lastRound.startedAt) : 0;
      return started > killedAt ? started : undefined;
    }, 60_000, 'the survivor to run a training round');
    console.log(`failover: new leader after ${((took - killedAt) / 1000).toFixed(2)} s; its first training round started after ${((trained - killedAt) / 1000).toFixed(2)} s`);

    expect((await leaderOf(survivor))?.since).not.toBeNull();
    expect(took - killedAt).toBeLessThan(3_000 + 2_000); // within the lease duration (3 s), plus a poll
    const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
    expect(metrics).toMatch(/^prescale_leader\{adapter="postgres-advisory-lock"\} 1$/m);
  }, 120_000);
});
