/**
 * `npm run bench:scale`: one replica with N series at 1 minute, 14 days each, backfilled
 * straight through the HistoryStore of `--backend` (one bulk append per series, not HTTP;
 * `scale-backfill.ts`: a file, or a database on a real PostgreSQL), then the service started
 * as a child process on that store (`scale-target.ts`). Measured per size and path:
 * backfill time; seconds from the service start until every series has a forecast (and how
 * many still serve the warm-up stand-in then); steady refresh: one new sample pushed per
 * series over HTTP (`POST /v1/samples`, 100 series per request; `--batch 1`: one request per
 * series), seconds until all N forecasts are regenerated (series/s); peak RSS
 * (VmHWM) and steady RSS (VmRSS after the rounds) of the service process, worker threads
 * included, from /proc/<pid>/status; p99 of `GET /v1/series?limit=100` and of the external
 * metrics path over TLS while the rounds refresh.
 *
 * Peer, same run: the same service with the path of before switched on (`scale-target.ts`
 * mode `refit`: one forecast worker, a refit on every refresh), at the sizes it reaches
 * (`--peer-max`, default 250; the default sizes are 250, 1,000 and 10,000). It still lists series from memory and bounds its refresh
 * queue; those parts of the old path cannot be switched back on.
 *
 * Options: `--series N` (repeatable; default 250, 1000 and 10000), `--backend sqlite|postgres`,
 * `--workers N`, `--rounds R` (3), `--ready-timeout S` (600), `--peer-max N`, `--batch N` (100).
 * Env: `BENCH_SCALE_TARGET_ARGS` (node flags of the service only, e.g. `--cpu-prof`),
 * `BENCH_SCALE_HEAP_SNAPSHOT=DIR` (the serving thread's heap after the rounds).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPki } from '../test/helpers/pki';
import { type BackfillBackend, backfillSqlite, openBackfillBackend } from './scale-backfill';
import type { ScaleTargetArgs } from './scale-target';

const MINUTE_MS = 60_000;

interface Options {
  sizes: number[];
  backend: 'sqlite' | 'postgres';
  workers?: number;
  rounds: number;
  readyTimeoutS: number;
  peerMax: number;
  /** Series per push request (`--batch`; 1: one request per series). */
  batch: number;
}

interface Result {
  series: number;
  path: string;
  backfillS: number;
  readyS: number | null;
  readyCount: number;
  warmingAtReady: number;
  /** Series still serving the warm-up stand-in when the last round ended (their first fit still queued). */
  warmingAfterRounds: number;
  roundS: number[];
  peakRssMb: number;
  steadyRssMb: number;
  listP99Ms: number;
  metricP99Ms: number;
  note: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [], backend: 'sqlite', rounds: 3, readyTimeoutS: 600, peerMax: 250, batch: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const num = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) fail(`${flag}: needs a whole number ≥ 1, got ${String(value)}`);
      i++;
      return n;
    };
    if (flag === '--series') o.sizes.push(num());
    else if (flag === '--workers') o.workers = num();
    else if (flag === '--rounds') o.rounds = num();
    else if (flag === '--ready-timeout') o.readyTimeoutS = num();
    else if (flag === '--peer-max') o.peerMax = num();
    else if (flag === '--batch') o.batch = num();
    else if (flag === '--backend' && (value === 'sqlite' || value === 'postgres')) {
      o.backend = value;
      i++;
    } else fail(`unknown option ${String(flag)} (use --series N, --backend sqlite|postgres, --workers N, --rounds R, --ready-timeout S, --peer-max N, --batch N)`);
  }
  if (o.sizes.length === 0) o.sizes = [250, 1000, 10_000];
  return o;
}

function fail(message: string): never {
  process.stderr.write(`bench:scale: ${message}\n`);
  process.exit(2);
}

function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s-${String(i).padStart(5, '0')}`);
}

/** What the target answers: series with a forecast, refreshed since the round started, still on the warm-up stand-in, and when in the round they were refreshed. */
interface Progress {
  withForecast: number;
  fresh: number;
  warming: number;
  freshAfterS?: Record<string, number | null>;
  /** The serving thread's event-loop delay since the round started (ms). */
  eventLoopDelayMs?: { p99: number; max: number };
  mainThreadMb?: Record<string, number>;
}

interface Target {
  child: ChildProcess;
  port: number;
  metricsPort: number;
  progress(sinceMs: number): Promise<Progress>;
}

function startTarget(args: ScaleTargetArgs): Promise<Target> {
  // BENCH_SCALE_TARGET_ARGS passes node flags to the service only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const execArgv = process.env.BENCH_SCALE_TARGET_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = fork(join(__dirname, 'scale-target.js'), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`scale target exited with ${code}`)));
    child.once('message', (msg: { port: number; metricsPort: number }) => {
      const progress = (sinceMs: number) =>
        new Promise<Progress>((res) => {
          child.once('message', res as (m: unknown) => void);
          child.send({ progress: sinceMs });
        });
      resolve({ child, port: msg.port, metricsPort: msg.metricsPort, progress });
    });
  });
}

/** Samples VmRSS and VmHWM of `pid` every 250 ms. */
function rssSampler(pid: number): { stop(): { peakMb: number; lastMb: number } } {
  let peak = 0;
  let last = 0;
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      last = kb('VmRSS');
      peak = Math.max(peak, kb('VmHWM'), last);
    } catch {
      // The process is gone; keep what was read.
    }
  };
  const timer = setInterval(read, 250);
  read();
  return {
    stop() {
      read();
      clearInterval(timer);
      return { peakMb: peak / 1024, lastMb: last / 1024 };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function p99(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] as number;
}

async function runOne(n: number, mode: 'kept' | 'refit', options: Options, pki: PkiFiles, backend: BackfillBackend): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-scale-'));
  const series = names(n);
  const endMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  const filled = await backend.backfill(dir, series, endMs);
  const backfillS = filled.seconds;
  try {
    const target = await startTarget({ mode, dataDir: dir, series, storage: filled.storage, ...(options.workers ? { workers: options.workers } : {}), ...pki.files });
    const startedMs = Date.now();
    const rss = rssSampler(target.child.pid!);
    try {
      let readyS: number | null = null;
      let last: Progress = { withForecast: 0, fresh: 0, warming: 0 };
      while ((Date.now() - startedMs) / 1000 < options.readyTimeoutS) {
        last = await target.progress(0);
        if (last.withForecast === n) {
          readyS = (Date.now() - startedMs) / 1000;
          break;
        }
        await sleep(500);
      }
      const warmingAtReady = last.warming;
      const readyCount = last.withForecast;
      const http = new Agent({ keepAlive: true, maxSockets: 16 });
      const https = new HttpsAgent({ keepAlive: true, maxSockets: 2, cert: pki.client.cert, key: pki.client.key, rejectUnauthorized: false });
      const listMs: number[] = [];
      const metricMs: number[] = [];
      const roundS: number[] = [];
      for (let round = 1; round <= options.rounds && readyS !== null; round++) {
        const sinceMs = Date.now();
        const t = new Date(endMs + round * MINUTE_MS).toISOString();
        let probing = true;
        const probe = (async () => {
          let k = 0;
          while (probing) {
            const a = performance.now();
            await get(http, target.port, '/v1/series?limit=100');
            listMs.push(performance.now() - a);
            const b = performance.now();
            await getTls(https, target.metricsPort, `/apis/external.metrics.k8s.io/v1beta1/namespaces/default/${series[k++ % n]}`);
            metricMs.push(performance.now() - b);
            await sleep(20);
          }
        })();
        await pushAll(http, target.port, series, t, options.batch);
        const pushedS = (Date.now() - sinceMs) / 1000;
        let done = false;
        while (!done && (Date.now() - sinceMs) / 1000 < 300) {
          last = await target.progress(sinceMs);
          done = last.fresh === n;
          if (!done) await sleep(200);
        }
        roundS.push(done ? (Date.now() - sinceMs) / 1000 : Number.NaN);
        console.error(`bench:scale: round ${round}: pushes took ${pushedS} s; ${JSON.stringify(last)}`);
        probing = false;
        await probe;
      }
      // BENCH_SCALE_HEAP_SNAPSHOT=DIR writes the serving thread's heap after the rounds, to see what holds the memory.
      const snapshotDir = process.env.BENCH_SCALE_HEAP_SNAPSHOT;
      if (snapshotDir) {
        const written = await new Promise((res) => {
          target.child.once('message', res);
          target.child.send({ heapSnapshot: join(snapshotDir, `scale-${n}.heapsnapshot`) });
        });
        console.error(`bench:scale: heap snapshot ${JSON.stringify(written)}`);
      }
      http.destroy();
      https.destroy();
      const { peakMb, lastMb } = rss.stop();
      return {
        series: n,
        path: mode === 'kept' ? 'kept models (this branch)' : 'refit every refresh (before)',
        backfillS,
        readyS,
        readyCount,
        warmingAtReady,
        warmingAfterRounds: last.warming,
        roundS,
        peakRssMb: peakMb,
        steadyRssMb: lastMb,
        listP99Ms: p99(listMs),
        metricP99Ms: p99(metricMs),
        note: readyS === null ? `only ${readyCount} of ${n} had a forecast after ${options.readyTimeoutS} s; no rounds` : '',
      };
    } finally {
      rss.stop();
      target.child.kill('SIGTERM');
      await new Promise((r) => target.child.once('exit', r));
    }
  } finally {
    await filled.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The peer of the postgres backfill, same run and sizes: the same histories through SqliteHistoryStore. */
async function sqliteBackfillPeer(sizes: number[]): Promise<string[]> {
  const lines: string[] = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-scale-peer-'));
    try {
      const s = await backfillSqlite(join(dir, 'history.sqlite'), names(n), Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS);
      lines.push(`backfill peer (${n} series): sqlite ${fmt(s)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

/**
 * One new sample per series over HTTP: `batch` series per `POST /v1/samples` with 4 requests
 * in flight, or with `batch` 1 one `POST /v1/series/{name}/samples` each, 16 in flight.
 */
async function pushAll(agent: Agent, port: number, series: string[], t: string, batch: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < series.length) {
      if (batch === 1) {
        const name = series[next++] as string;
        await post(agent, port, `/v1/series/${name}/samples`, JSON.stringify([{ t, v: 100 }]));
        continue;
      }
      const names = series.slice(next, (next += batch));
      await post(agent, port, '/v1/samples', JSON.stringify({ series: names.map((name) => ({ name, samples: [{ t, v: 100 }] })) }));
    }
  };
  await Promise.all(Array.from({ length: batch === 1 ? 16 : 4 }, lane));
}

function get(agent: Agent, port: number, path: string): Promise<void> {
  return send(httpRequest({ agent, host: '127.0.0.1', port, path }));
}

function post(agent: Agent, port: number, path: string, body: string): Promise<void> {
  const req = httpRequest({ agent, host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } });
  req.write(body);
  return send(req);
}

function getTls(agent: HttpsAgent, port: number, path: string): Promise<void> {
  return send(
    httpsRequest({
      agent,
      host: '127.0.0.1',
      port,
      path,
      servername: 'localhost',
      headers: { 'X-Remote-User': 'system:serviceaccount:kube-system:horizontal-pod-autoscaler', 'X-Remote-Group': 'system:serviceaccounts' },
    }),
  );
}

function send(req: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => (res.statusCode !== undefined && res.statusCode < 400 ? resolve() : reject(new Error(`${req.path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

interface PkiFiles {
  files: { certFile: string; keyFile: string; caFile: string };
  client: { cert: string; key: string };
  dir: string;
}

function makePki(): PkiFiles {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-scale-pki-'));
  const serving = new TestPki('serving-ca').leaf({ commonName: 'localhost', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  const frontProxy = new TestPki('front-proxy-ca');
  const client = frontProxy.leaf({ commonName: 'front-proxy-client', usage: 'client' });
  const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: join(dir, 'ca.crt') };
  writeFileSync(files.certFile, serving.cert);
  writeFileSync(files.keyFile, serving.key);
  writeFileSync(files.caFile, frontProxy.ca.cert);
  return { files, client, dir };
}

const fmt = (v: number | null, digits = 1): string => (v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));

function printTable(results: Result[]): void {
  const head = ['series', 'path', 'backfill s', 'all forecast s', 'warming then', 'warming after rounds', 'round s (median)', 'series/s', 'peak RSS MB', 'steady RSS MB', '/v1/series p99 ms', 'ext. metrics p99 ms'];
  const rows = results.map((r) => {
    const rounds = r.roundS.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
    const median = rounds.length > 0 ? (rounds[Math.floor(rounds.length / 2)] as number) : null;
    return [String(r.series), r.path, fmt(r.backfillS), fmt(r.readyS), String(r.warmingAtReady), String(r.warmingAfterRounds), fmt(median), median ? fmt(r.series / median, 0) : '—', fmt(r.peakRssMb, 0), fmt(r.steadyRssMb, 0), fmt(r.listP99Ms), fmt(r.metricP99Ms)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  for (const r of results) if (r.note) console.log(`note (${r.series}, ${r.path}): ${r.note}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const backend = await openBackfillBackend(options.backend);
  const pki = makePki();
  const results: Result[] = [];
  try {
    for (const n of options.sizes) {
      for (const mode of ['kept', 'refit'] as const) {
        if (mode === 'refit' && n > options.peerMax) continue;
        console.error(`bench:scale: ${n} series, ${mode} …`);
        const r = await runOne(n, mode, options, pki, backend);
        console.error(`bench:scale: ${JSON.stringify(r)}`);
        results.push(r);
      }
    }
  } finally {
    await backend.close();
    rmSync(pki.dir, { recursive: true, force: true });
  }
  const peer = options.backend === 'postgres' ? await sqliteBackfillPeer(options.sizes) : [];
  console.log(`\nOne replica, ${options.backend} backend, series at 1 minute with 14 days each; ${options.rounds} steady rounds of one new sample per series (${options.batch === 1 ? 'one request per series' : `${options.batch} series per request`}); workers ${options.workers ?? 'default (cores − 1)'}`);
  console.log('"all forecast s": from the service start (= backfill end) until every series has a forecast; "warming then" / "warming after rounds": how many were still the seasonal-naive warm-up stand-in then (their first fit queued: the rounds ran while first fits were still being worked off)');
  printTable(results);
  for (const line of peer) console.log(line);
}

void main();
