/**
 * `npm run bench:failover`: three `prescale serve` replicas on one real PostgreSQL, GET
 * requests (forecasts) spread round-robin across them, the leader killed with `kill -9`.
 * Prints: failed requests on the surviving replicas (goal 0), seconds until a new leader
 * leads and starts a scheduled training round, and whether (and how soon) the replicas serve
 * identical forecasts before and after. Peer, in the same run: one SQLite process killed with
 * `kill -9` and restarted, counting the requests that fail meanwhile.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RealPostgres } from './support/real-postgres';
import { replicaConfig } from './support/replica-config';

// Compiled to dist/bench/: the repository root is two folders up.
const CLI = resolve(__dirname, '..', '..', 'bin', 'prescale.js');
const HOUR = 3600_000;
/** How long the replicas may take to serve the same forecast: a few refreshes. */
const AGREE_WITHIN_MS = 30_000;

interface Replica {
  child: ChildProcess;
  url: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-failover-'));
  const postgres = new RealPostgres();
  const children: ChildProcess[] = [];
  try {
    await postgres.start();
    const dbUrl = await postgres.createDatabase('failover');
    writeFileSync(join(dir, 'pg.yaml'), replicaConfig('postgres'));
    writeFileSync(join(dir, 'sqlite.yaml'), replicaConfig('sqlite'));
    const start = async (name: string, file: string, port?: number): Promise<Replica & { port: number }> => {
      const p = port ?? (await freePort());
      const child = spawn(process.execPath, [CLI, 'serve', '--config', join(dir, file)], {
        env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', PRESCALE_DATA_DIR: join(dir, name), PRESCALE_POSTGRES_URL: dbUrl, PRESCALE_LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      children.push(child);
      const r = { child, url: `http://127.0.0.1:${p}`, port: p };
      await until(async () => (await fetch(`${r.url}/healthz`).catch(() => null))?.ok === true, 60_000);
      return r;
    };
    const replicas = [await start('a', 'pg.yaml'), await start('b', 'pg.yaml'), await start('c', 'pg.yaml')];
    await push(replicas[0]!.url);
    await until(async () => (await Promise.all(replicas.map((r) => get(`${r.url}/v1/forecasts/api-rps`)))).every((f) => f !== null), 60_000);
    const before = await agreement(replicas);
    const leader = await until(async () => {
      for (const r of replicas) if (((await get(`${r.url}/v1/status`)) as { leader?: { leader: boolean } } | null)?.leader?.leader) return r;
      return undefined;
    }, 30_000);
    const survivors = replicas.filter((r) => r !== leader);
    const load = spreadLoad(survivors);
    await sleep(2000);
    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    const led = await until(async () => {
      for (const r of survivors) if (((await get(`${r.url}/v1/status`)) as { leader?: { leader: boolean } } | null)?.leader?.leader) return { r, at: Date.now() };
      return undefined;
    }, 30_000);
    const trainedAt = await until(async () => {
      const jobs = ((await get(`${led.r.url}/v1/status`)) as { trainingJobs?: { lastRound: { startedAt: string } | null } } | null)?.trainingJobs;
      const s = jobs?.lastRound ? Date.parse(jobs.lastRound.startedAt) : 0;
      return s > killedAt ? s : undefined;
    }, 60_000);
    await sleep(3000);
    const pgLoad = await load.stop();
    const after = await agreement(survivors);

    // Peer: one SQLite process, killed and restarted on the same port and data dir.
    const single = await start('single', 'sqlite.yaml');
    await push(single.url);
    await until(async () => (await get(`${single.url}/v1/forecasts/api-rps`)) !== null, 60_000);
    const peerLoad = spreadLoad([single]);
    await sleep(2000);
    single.child.kill('SIGKILL');
    const restart0 = Date.now();
    await start('single', 'sqlite.yaml', single.port);
    const restartSeconds = (Date.now() - restart0) / 1000;
    await sleep(3000);
    const peer = await peerLoad.stop();

    const rows = [
      ['setup', 'requests', 'failed', 'new leader (s)', 'training round (s)', 'forecasts identical before/after'],
      ['3 replicas, postgres, kill -9 leader', String(pgLoad.total), String(pgLoad.failed), ((led.at - killedAt) / 1000).toFixed(2), ((trainedAt - killedAt) / 1000).toFixed(2), `${before}/${after}`],
      [`peer: 1 process, sqlite, kill -9 + restart (${restartSeconds.toFixed(1)} s)`, String(peer.total), String(peer.failed), '-', '-', '-'],
    ];
    console.log(table(rows));
    console.log('Actuation is not measured here: the actuator needs a Kubernetes API (see test/src/actuator). Machine shared and loaded: times are upper bounds.');
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await postgres.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function spreadLoad(targets: readonly Replica[]): { stop(): Promise<{ total: number; failed: number }> } {
  let total = 0;
  let failed = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    for (let i = 0; running; i++) {
      const r = targets[i % targets.length]!;
      total++;
      if ((await get(`${r.url}/v1/forecasts/api-rps`)) === null) failed++;
      await sleep(20);
    }
  };
  const workers = [loop(), loop()];
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      return { total, failed };
    },
  };
}

async function forecastsEqual(replicas: readonly Replica[]): Promise<boolean> {
  const points = await Promise.all(replicas.map(async (r) => JSON.stringify(((await get(`${r.url}/v1/forecasts/api-rps`)) as { points?: unknown } | null)?.points ?? null)));
  return points.every((p) => p === points[0] && p !== 'null');
}

/**
 * Whether the replicas serve the same forecast within `AGREE_WITHIN_MS`, and after how long
 * ("true (1.2 s)"). Not at once: each replica refreshes on its own (the pushing one at once,
 * the others on the NOTIFY), and a series serves its labelled warm-up stand-in until its
 * first fit, so right after the push one replica may already serve the fit and another not.
 */
async function agreement(replicas: readonly Replica[]): Promise<string> {
  const t0 = Date.now();
  const agreed = await until(() => forecastsEqual(replicas), AGREE_WITHIN_MS).catch(() => false);
  return agreed ? `true (${((Date.now() - t0) / 1000).toFixed(1)} s)` : 'false';
}

async function push(url: string): Promise<void> {
  const endMs = Math.floor(Date.now() / HOUR) * HOUR;
  const samples = Array.from({ length: 20 * 24 }, (_, i) => ({ t: (endMs - (20 * 24 - 1 - i) * HOUR) / 1000, v: 100 + 50 * Math.sin((2 * Math.PI * i) / 24) }));
  const res = await fetch(`${url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
  if (!res.ok) throw new Error(`push failed: ${res.status}`);
}

async function get(url: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`).join('\n');
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
