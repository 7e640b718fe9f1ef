/**
 * `npm run bench:refresh-latency`: how long a forecast refresh of a big raw history holds the
 * serving thread. One series pushed at one sample per second for 14 days (1,209,600 raw
 * samples, BENCH_DAYS to change) in a real SQLite file; the real app (buildApp, the worker
 * forecast runner, express) answers `/healthz` over real HTTP while one refresh runs.
 *
 * A client in a child process (so a blocked server cannot slow the client's own clock) calls
 * `/healthz` every 5 ms on keep-alive sockets, open loop: each latency counts from when the
 * request was due, so a stall shows in every request that fell into it, not in one. It runs
 * from 300 ms before the refresh to 300 ms after it.
 *
 * Paths, on the same file in the same run, the app and the model (seasonal-naive) the same:
 * - today's: raw read + `regularize` on the main thread (the store's `read`, then fold);
 * - folded inline: the step-folding read (`readSteps`) on the main thread (SQL does the
 *   grouping for gauges, the fold streams for rates), to show what folding alone buys;
 * - folded on a worker: the shipped path, the same read on a worker thread with its own
 *   read-only connection. Goal: `/healthz` p99 < 50 ms.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../main/app';
import { parseConfig } from '../src/config/load-config';
import { regularize } from '../src/series/regularize';
import type { HistoryStore } from '../src/store/history-store';
import { SqliteHistoryStore } from '../src/store/sqlite-history-store';
import { createLogger } from '../src/telemetry/logger';

const DAYS = Number(process.env['BENCH_DAYS'] ?? 14);
const INTERVAL_MS = 5;
const MARGIN_MS = 300;
const DAY_MS = 86_400_000;

interface Row {
  path: string;
  refreshMs: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** The server's own event-loop delay during the window, p99 and max (ms): blocking, without the client's scheduling. */
  loopP99: number;
  loopMax: number;
}

/** Child process: GET /healthz every INTERVAL_MS until told to stop, then report latencies (ms from due time). */
function client(port: number): void {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const latencies: number[] = [];
  let running = true;
  let due = 0;
  const fire = (): void => {
    if (!running) return;
    const dueAt = due;
    get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => latencies.push(performance.now() - dueAt));
    }).on('error', () => latencies.push(Number.POSITIVE_INFINITY));
    due += INTERVAL_MS;
    setTimeout(fire, Math.max(0, due - performance.now()));
  };
  process.on('message', (msg) => {
    if (msg === 'start') {
      due = performance.now();
      fire();
    } else if (msg === 'stop') {
      running = false;
      // Let the requests in flight finish so the tail is counted, then report.
      setTimeout(() => process.send?.(latencies, () => process.exit(0)), 500);
    }
  });
  process.send?.('ready');
}

function message<T>(child: ChildProcess, match: (m: unknown) => m is T): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: unknown): void => {
      if (!match(m)) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
  });
}

/** Today's refresh read: every raw sample onto the main thread, then `regularize` there. */
function rawReadPeer(store: SqliteHistoryStore): HistoryStore {
  return {
    append: (series, samples) => store.append(series, samples),
    read: (series, range) => store.read(series, range),
    readSteps: async (series, query) => regularize(await store.read(series, query), query),
    last: (series) => store.last(series),
    stats: (series) => store.stats(series),
    allStats: () => store.allStats(),
    deleteBefore: (series, beforeMs) => store.deleteBefore(series, beforeMs),
    close: () => store.close(),
  };
}

async function fill(file: string, endMs: number): Promise<number> {
  const store = new SqliteHistoryStore(file, { stepReads: 'inline' });
  const startMs = endMs - DAYS * DAY_MS;
  let count = 0;
  for (let dayStart = startMs; dayStart < endMs; dayStart += DAY_MS) {
    const batch = [];
    for (let t = dayStart; t < Math.min(dayStart + DAY_MS, endMs); t += 1000) {
      batch.push({ t, v: 100 + 60 * Math.sin((2 * Math.PI * (t % DAY_MS)) / DAY_MS) + ((t / 1000) % 7) });
    }
    count += (await store.append('api', batch)).stored;
  }
  store.close();
  return count;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(path: string, dataDir: string, store: HistoryStore, load: ChildProcess, refresh = true): Promise<Row> {
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    storage: { dataDir },
    forecast: { model: 'seasonal-naive' },
    series: [{ name: 'api', step: '1m', horizon: '1h', history: `${DAYS}d`, seasonalities: ['daily'] }],
  });
  const app = buildApp({ config, logger: createLogger({ level: 'silent' }), store });
  const server = createServer(app.http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await app.forecasts.refit('api'); // warm-up: starts the worker threads and the JIT, not measured
    load.send({ port: (server.address() as AddressInfo).port });
    await message(load, (m): m is 'ready' => m === 'ready');
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    load.send('start');
    await new Promise((r) => setTimeout(r, MARGIN_MS));
    const t0 = performance.now();
    // The idle row waits as long as a short refresh instead: the floor of this machine and client.
    await (refresh ? app.forecasts.refit('api') : new Promise((r) => setTimeout(r, 1000)));
    const refreshMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, MARGIN_MS));
    loop.disable();
    load.send('stop');
    const latencies = (await message(load, (m): m is number[] => Array.isArray(m))).sort((a, b) => a - b);
    return { path, refreshMs, requests: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] ?? Number.NaN,
      loopP99: loop.percentile(99) / 1e6,
      loopMax: loop.max / 1e6,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await app.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'prescale-bench-refresh-'));
  try {
    const file = join(dataDir, 'history.sqlite');
    const samples = await fill(file, Date.now());
    const paths: [string, () => HistoryStore, boolean?][] = [
      ['no refresh (idle, 1 s)', () => new SqliteHistoryStore(file), false],
      ["today's: raw read + regularize, main thread", () => rawReadPeer(new SqliteHistoryStore(file, { stepReads: 'inline' }))],
      ['folded read, main thread', () => new SqliteHistoryStore(file, { stepReads: 'inline' })],
      ['folded read, worker thread (shipped)', () => new SqliteHistoryStore(file)],
    ];
    const rows: Row[] = [];
    for (const [path, open, refresh] of paths) {
      const load = fork(__filename, ['client'], { stdio: 'inherit' });
      try {
        rows.push(await measure(path, dataDir, open(), load, refresh ?? true));
      } finally {
        load.kill();
      }
    }
    process.stdout.write(`1 series, ${DAYS} days at one sample per second (${samples.toLocaleString('en-US')} raw samples), step 1m; /healthz every ${INTERVAL_MS} ms during one refresh\n\n`);
    process.stdout.write('| path | refresh (ms) | requests | /healthz p50 (ms) | p99 (ms) | max (ms) | p99 < 50 ms | server loop delay p99 / max (ms) |\n|---|---:|---:|---:|---:|---:|:---:|---:|\n');
    for (const r of rows) {
      process.stdout.write(`| ${r.path} | ${r.refreshMs.toFixed(0)} | ${r.requests} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.p99 < 50 ? 'yes' : 'no'} | ${r.loopP99.toFixed(1)} / ${r.loopMax.toFixed(1)} |\n`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'client') {
  process.once('message', (msg: { port: number }) => client(msg.port));
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:refresh-latency failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
