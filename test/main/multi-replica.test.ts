import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest } from '../helpers/https-get';
import { TestPki } from '../helpers/pki';
import { RealPostgres } from '../helpers/real-postgres';
import { type ChildResult, collect, freePort, spawnCli, tempDir, waitFor } from '../helpers/test-server';

/**
 * Several replicas on one database (issue 14): three real `prescale serve` processes
 * (bin/prescale.js, each with its own ports and data dir) share a real PostgreSQL through
 * `storage.backend: postgres`, with the URL from env PRESCALE_POSTGRES_URL. A sample pushed to
 * one is served by all; one replica killed with SIGKILL during a stream of pushes leaves the
 * others answering, and every acknowledged sample is in the database.
 */
const MINUTE = 60_000;
const TOKEN = 'replica-reader-token-0123456789';

interface Replica {
  child: ChildProcess;
  result: Promise<ChildResult>;
  url: string;
  emPort: number;
}

let pg: RealPostgres;
let dbUrl: string;
let dir: ReturnType<typeof tempDir>;
let pki: TestPki;
const replicas: Replica[] = [];

beforeAll(async () => {
  pg = new RealPostgres();
  await pg.start();
  dbUrl = await pg.createDatabase('replicas');
  dir = tempDir('replicas');
  pki = new TestPki('front-proxy-ca');
  const serving = new TestPki('serving-ca').leaf({ commonName: 'localhost', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  writeFileSync(join(dir.path, 'tls.crt'), serving.cert);
  writeFileSync(join(dir.path, 'tls.key'), serving.key);
  writeFileSync(join(dir.path, 'ca.crt'), pki.ca.cert);
  writeFileSync(join(dir.path, 'token'), `${TOKEN}\n`);
  for (let i = 0; i < 3; i++) replicas.push(await startReplica(i));
  await Promise.all(replicas.map((r, i) => waitFor(async () => ((await fetch(`${r.url}/readyz`).catch(() => null))?.status === 200 ? true : undefined), 60_000, `replica ${i} ready`)));
}, 120_000);

afterAll(async () => {
  for (const r of replicas) r.child.kill('SIGTERM');
  await Promise.all(replicas.map((r) => r.result.catch(() => undefined)));
  await pg.destroy();
  dir.remove();
});

async function startReplica(i: number): Promise<Replica> {
  const port = await freePort();
  const emPort = await freePort();
  const file = join(dir.path, `replica-${i}.yaml`);
  writeFileSync(
    file,
    `storage:
  backend: postgres
  retention: 36500d
forecast:
  model: seasonal-naive
  refreshDebounce: 0.05
externalMetrics:
  host: 127.0.0.1
  port: ${emPort}
  tls: { certFile: ${join(dir.path, 'tls.crt')}, keyFile: ${join(dir.path, 'tls.key')} }
  requestHeader: { clientCAFile: ${join(dir.path, 'ca.crt')}, allowedNames: [front-proxy-client] }
  auth:
    bearerTokens: [{ user: dashboards, tokenFile: ${join(dir.path, 'token')}, namespaces: [default] }]
  namespaces: [default]
series:
  - name: api-rps
    step: 1m
    horizon: 30m
    history: 1d
    seasonalities: [daily]
`,
  );
  const child = spawnCli(['serve', '--config', file], {
    PORT: String(port),
    HOST: '127.0.0.1',
    PRESCALE_DATA_DIR: join(dir.path, `state-${i}`),
    PRESCALE_POSTGRES_URL: dbUrl,
    PRESCALE_LOG_LEVEL: 'warn',
  });
  return { child, result: collect(child, 600_000), url: `http://127.0.0.1:${port}`, emPort };
}

async function forecastPoints(r: Replica): Promise<string | undefined> {
  const res = await fetch(`${r.url}/v1/forecasts/api-rps`);
  if (res.status !== 200) return undefined;
  const body = (await res.json()) as { points: unknown[]; lastObserved: unknown };
  return JSON.stringify({ lastObserved: body.lastObserved, points: body.points });
}

async function externalMetricValue(r: Replica): Promise<string | undefined> {
  const reply = await httpsRequest(r.emPort, '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/api-rps', { ca: '', insecure: true, headers: { Authorization: `Bearer ${TOKEN}` } });
  if (reply.status !== 200) return undefined;
  return (reply.json()['items'] as { value: string }[])[0]?.value;
}

const push = (r: Replica, samples: { t: number; v: number }[]) =>
  fetch(`${r.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples.map((s) => ({ t: s.t / 1000, v: s.v }))) });

describe('several replicas on one PostgreSQL', () => {
  it('serve the same forecast and external metric value for a history pushed to one of them', async () => {
    const endMs = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
    const samples = Array.from({ length: 2 * 1440 }, (_, i) => {
      const t = endMs - (2 * 1440 - 1 - i) * MINUTE;
      return { t, v: Math.round(100 + 60 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000)) };
    });
    const res = await push(replicas[0]!, samples);
    expect(res.status).toBe(200);

    const served = await waitFor(
      async () => {
        const all = await Promise.all(replicas.map(forecastPoints));
        const first = all[0];
        return first !== undefined && all.every((p) => p === first) && JSON.parse(first).lastObserved.v === samples.at(-1)!.v ? all : undefined;
      },
      30_000,
      'every replica to serve the pushed history',
    );
    const values = await Promise.all(replicas.map(externalMetricValue));

    expect(new Set(served).size).toBe(1);
    expect(JSON.parse(served[0]!).points.length).toBeGreaterThan(0);
    expect(values[0]).toBeDefined();
    expect(values).toEqual([values[0], values[0], values[0]]);
  });

  it('keeps answering on the survivors when one replica is killed with SIGKILL during pushes, and keeps every acknowledged sample', async () => {
    const victim = replicas[2]!;
    const survivors = replicas.slice(0, 2);
    // Sub-minute timestamps in the past that no earlier push used: each one is a new sample.
    const baseMs = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 86_400_000 + 17;
    const acknowledged: number[] = [];
    const survivorFailures: string[] = [];
    let killed = false;
    for (let i = 0; i < 90; i++) {
      if (i === 30) {
        victim.child.kill('SIGKILL');
        killed = true;
      }
      const target = replicas[i % 3]!;
      const t = baseMs + i * 1000;
      const res = await push(target, [{ t, v: i }]).catch(() => null);
      if (res?.status === 200) acknowledged.push(t);
      else if (target !== victim) survivorFailures.push(`push ${i} to a survivor: ${res?.status ?? 'connection error'}`);
      if (killed) {
        for (const s of survivors) {
          const read = await fetch(`${s.url}/v1/forecasts/api-rps`).catch(() => null);
          if (read?.status !== 200) survivorFailures.push(`read after the kill: ${read?.status ?? 'connection error'}`);
        }
      }
    }
    await victim.result;

    const stored = await pg.sql('replicas', `SELECT t FROM prescale_samples WHERE series = 'api-rps' AND t >= ${baseMs} AND t < ${baseMs + 90_000} ORDER BY t`);
    const storedTimes = new Set(stored.split('\n').filter(Boolean).map(Number));
    expect(survivorFailures).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    expect(acknowledged.filter((t) => !storedTimes.has(t))).toEqual([]);
  });
});
