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
 * `--workers N`, `--rounds R` (3), `--ready-timeout S` (600), `--peer-max N`, `--batch N` (100),
 * `--until-fitted S` (wait up to S s after all forecast until every series has its first fit,
 * so the rounds measure the steady state; default: do not wait).
 * Env: `BENCH_SCALE_TARGET_ARGS` (node flags of the service only, e.g. `--cpu-prof`),
 * `BENCH_SCALE_HEAP_SNAPSHOT=DIR` (the serving thread's heap after the rounds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackfillBackend, backfillSqlite, openBackfillBackend } from './scale-backfill';
import { type Progress, get, getTls, p99, pushAll, rssSampler, startTarget } from './scale-probes';
import { type PkiFiles, makeServingPki } from './support/serving-pki';

const MINUTE_MS = 60_000;

interface Options {
  sizes: number[];
  backend: 'sqlite' | 'postgres';
  workers?: number;
  rounds: number;
  readyTimeoutS: number;
  /** `--until-fitted S`: before the rounds, wait up to S seconds until no series serves the warm-up stand-in (0: do not wait). */
  untilFittedS: number;
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
  /** Seconds from the service start until every series had its configured model fitted (`--until-fitted`), or null. */
  fittedS: number | null;
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
  const o: Options = { sizes: [], backend: 'sqlite', rounds: 3, readyTimeoutS: 600, untilFittedS: 0, peerMax: 250, batch: 100 };
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
    else if (flag === '--until-fitted') o.untilFittedS = num();
    else if (flag === '--peer-max') o.peerMax = num();
    else if (flag === '--batch') o.batch = num();
    else if (flag === '--backend' && (value === 'sqlite' || value === 'postgres')) {
      o.backend = value;
      i++;
    } else fail(`unknown option ${String(flag)} (use --series N, --backend sqlite|postgres, --workers N, --rounds R, --ready-timeout S, --until-fitted S, --peer-max N, --batch N)`);
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


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
      // Steady state: every series on its kept model, no first fit queued (the backlog of a cold start is over).
      let fittedS: number | null = null;
      while (readyS !== null && options.untilFittedS > 0 && (Date.now() - startedMs) / 1000 < readyS + options.untilFittedS) {
        last = await target.progress(0);
        if (last.warming === 0) {
          fittedS = (Date.now() - startedMs) / 1000;
          break;
        }
        await sleep(2000);
      }
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
          // Each poll walks every series on the serving thread: once a second keeps the probe out of what it measures.
          if (!done) await sleep(1000);
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
      const { peakMb, lastMb, anonMb, fileMb } = rss.stop();
      // Where the steady RSS is: anonymous memory (heaps, buffers, SQLite's caches) and file pages (code, mapped files).
      console.error(`bench:scale: steady RSS ${JSON.stringify({ rssMb: Math.round(lastMb), anonMb: Math.round(anonMb), fileMb: Math.round(fileMb) })}`);
      return {
        series: n,
        path: mode === 'kept' ? 'kept models (this branch)' : 'refit every refresh (before)',
        backfillS,
        readyS,
        readyCount,
        warmingAtReady,
        fittedS,
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



const fmt = (v: number | null, digits = 1): string => (v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));

function printTable(results: Result[]): void {
  const head = ['series', 'path', 'backfill s', 'all forecast s', 'warming then', 'all fitted s', 'warming after rounds', 'round s (median)', 'series/s', 'peak RSS MB', 'steady RSS MB', '/v1/series p99 ms', 'ext. metrics p99 ms'];
  const rows = results.map((r) => {
    const rounds = r.roundS.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
    const median = rounds.length > 0 ? (rounds[Math.floor(rounds.length / 2)] as number) : null;
    return [String(r.series), r.path, fmt(r.backfillS), fmt(r.readyS), String(r.warmingAtReady), fmt(r.fittedS), String(r.warmingAfterRounds), fmt(median), median ? fmt(r.series / median, 0) : '—', fmt(r.peakRssMb, 0), fmt(r.steadyRssMb, 0), fmt(r.listP99Ms), fmt(r.metricP99Ms)];
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
  const pki = makeServingPki();
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
  console.log('"all forecast s": from the service start (= backfill end) until every series has a forecast; "warming then" / "warming after rounds": how many were still the seasonal-naive warm-up stand-in then (their first fit queued); "all fitted s": with --until-fitted, when the last first fit was done (the rounds then measure the steady state; "—": the rounds ran while first fits were still being worked off)');
  printTable(results);
  for (const line of peer) console.log(line);
}

void main();
