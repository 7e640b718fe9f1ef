/**
 * `npm run bench:ingest`: backfill 14 days at a 1-minute step for 100 series from a local,
 * real Prometheus, and compare with the raw time of the same query_range calls made with
 * plain `fetch` (the ceiling: no retries, no decoding into samples, no store).
 *
 * Data: the real 14-day, 1-minute trace mscm_mongodb_machine_qps from test/data/traces,
 * scaled by 1 + i/100 for series i, so 100 distinct series and 2,016,000 samples.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusSourceSchema } from '../src/config/source-schema';
import { PrometheusSource } from '../src/sources/prometheus-source';
import { PullScheduler } from '../src/sources/pull-scheduler';
import { queryRangeChunks } from '../src/sources/query-range-chunks';
import { SqliteHistoryStore } from '../src/store/sqlite-history-store';
import { Registry } from 'prom-client';
import { createLogger } from '../src/telemetry/logger';
import { createSourceMetrics } from '../src/telemetry/source-metrics';
import { TRACES_DIR } from './lib/traces';
import { RealPrometheus } from './support/real-prometheus';

const SERIES = 100;
const STEP_SECONDS = 60;
const TRACE_FILE = join(TRACES_DIR, 'mscm_mongodb_machine_qps.csv');

interface Row {
  path: string;
  seconds: number;
  samples: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function readTrace(): { t: number; v: number }[] {
  return readFileSync(TRACE_FILE, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const [ts, v] = line.split(',');
      return v === undefined || v === '' ? [] : [{ t: Date.parse(ts as string), v: Number(v) }];
    });
}

/** Runs `fn` after a GC, sampling every 10 ms; reports time and the peak RSS and JS heap above where it started. */
async function measure(path: string, fn: () => Promise<number>): Promise<Row> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  const samples = await fn();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  return { path, seconds, samples, peakRssMb: (peakRss - start.rss) / 2 ** 20, peakHeapMb: (peakHeap - start.heapUsed) / 2 ** 20 };
}

async function main(): Promise<void> {
  const trace = readTrace();
  const fromMs = trace[0]!.t;
  const toMs = trace[trace.length - 1]!.t;
  const prom = new RealPrometheus();
  const dataDir = mkdtempSync(join(tmpdir(), 'prescale-bench-ingest-'));
  try {
    process.stdout.write(`backfilling ${SERIES} series × ${trace.length} samples into a Prometheus TSDB with promtool…\n`);
    const series = Array.from({ length: SERIES }, (_, i) => ({
      metric: 'bench_qps',
      labels: { series: `s${String(i).padStart(3, '0')}` },
      samples: trace.map((s) => ({ t: s.t, v: Math.round(s.v * (1 + i / 100) * 1000) / 1000 })),
    }));
    const tb = performance.now();
    await prom.backfill(series);
    await prom.start();
    process.stdout.write(`TSDB ready in ${((performance.now() - tb) / 1000).toFixed(1)} s; Prometheus at ${prom.url}\n\n`);
    const query = (i: number): string => `sum(bench_qps{series="s${String(i).padStart(3, '0')}"})`;
    const range = { fromMs, toMs, stepSeconds: STEP_SECONDS };
    const chunks = queryRangeChunks(range);

    // The ceiling: the same query_range URLs, fetched and JSON-parsed, nothing else.
    const plainFetch = async (): Promise<number> => {
      const counts = await Promise.all(
        Array.from({ length: SERIES }, async (_, i) => {
          let n = 0;
          for (const c of chunks) {
            const url = new URL(`${prom.url}/api/v1/query_range`);
            url.searchParams.set('query', query(i));
            url.searchParams.set('start', String(c.fromMs / 1000));
            url.searchParams.set('end', String(c.toMs / 1000));
            url.searchParams.set('step', `${STEP_SECONDS}s`);
            const body = (await (await fetch(url)).json()) as { data: { result: { values: unknown[] }[] } };
            n += body.data.result[0]?.values.length ?? 0;
          }
          return n;
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    };

    const sources = Array.from({ length: SERIES }, (_, i) => new PrometheusSource(prometheusSourceSchema.parse({ url: prom.url, query: query(i) })));
    const sourceOnly = async (): Promise<number> => (await Promise.all(sources.map((s) => s.pull(range)))).reduce((a, s) => a + s.length, 0);

    const store = new SqliteHistoryStore(join(dataDir, 'history.sqlite'));
    const names = Array.from({ length: SERIES }, (_, i) => `s${i}`);
    let stored = 0;
    const scheduler = new PullScheduler({
      series: names.map((name, i) => ({ config: { name, step: STEP_SECONDS, history: 14 * 86_400 }, source: sources[i]! })),
      ingest: async (name, samples) => void (stored += (await store.append(name, samples)).stored),
      lastSampleMs: async (name) => (await store.last(name))?.t ?? null,
      clock: { now: () => toMs + 30_000 },
      logger: createLogger({ level: 'silent' }),
      metrics: createSourceMetrics(new Registry(), () => []),
    });
    const backfill = async (): Promise<number> => {
      await scheduler.pullAll();
      return stored;
    };

    await plainFetch(); // warm-up: Prometheus' page cache and chunk decoding, not reported
    // Each path runs once, in this order, on the same warm Prometheus; the machine's load shows in the times.
    const rows = [
      await measure('plain fetch + JSON.parse (ceiling)', plainFetch),
      await measure('PrometheusSource.pull (decode to samples)', sourceOnly),
      await measure('PullScheduler backfill → SQLite store', backfill),
    ];
    const failed = scheduler.statuses().filter((s) => s.state !== 'up');
    if (failed.length > 0) throw new Error(`backfill failed for ${failed.length} series: ${failed[0]?.lastError}`);
    await scheduler.stop();
    for (const s of sources) s.close();
    store.close();

    const ceiling = rows[0]!.seconds;
    process.stdout.write(`${SERIES} series × 14 days at 1 min (${chunks.length} query_range chunks per series, ${SERIES * chunks.length} requests)\n\n`);
    process.stdout.write('| path | samples | time (s) | samples/s | × ceiling | peak RSS Δ (MB) | peak heap Δ (MB) |\n|---|---:|---:|---:|---:|---:|---:|\n');
    for (const r of rows) {
      process.stdout.write(
        `| ${r.path} | ${r.samples.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(r.samples / r.seconds).toLocaleString('en-US')} | ${(r.seconds / ceiling).toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.peakHeapMb.toFixed(0)} |\n`,
      );
    }
  } finally {
    await prom.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ingest failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
