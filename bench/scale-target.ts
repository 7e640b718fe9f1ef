/**
 * The service under test of `bench/scale.ts`, in its own process so its RSS is its own.
 * `kept`: the service as shipped (kept models conditioned, `forecast.workers` threads);
 * `refit`: the same service with the refit-every-refresh path of before (one forecast
 * worker, a runner without `step`, so every refresh reads the full window and fits).
 * Reports `{ port, metricsPort }` over IPC once listening; answers `{ progress: sinceMs }`
 * with how many series have a forecast, how many were refreshed since `sinceMs`, and how many
 * still serve a warm-up stand-in. Exits on SIGTERM.
 */
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { parseConfig } from '../src/config/load-config';
import type { ForecastRunner } from '../src/forecast/forecast-runner';
import { WorkerForecastRunner } from '../src/forecast/worker-forecast-runner';
import { serve } from '../main/serve';
import { createLogger } from '../src/telemetry/logger';

export interface ScaleTargetArgs {
  mode: 'kept' | 'refit';
  dataDir: string;
  series: string[];
  workers?: number;
  storage?: Record<string, unknown>;
  certFile: string;
  keyFile: string;
  caFile: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ScaleTargetArgs;
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    storage: { dataDir: args.dataDir, ...(args.storage ?? {}) },
    forecast: { model: 'seasonal', ...(args.workers !== undefined ? { workers: args.workers } : {}) },
    series: args.series.map((name) => ({ name, step: '1m', horizon: '1h', history: '14d' })),
    externalMetrics: {
      host: '127.0.0.1',
      port: 0,
      tls: { certFile: args.certFile, keyFile: args.keyFile },
      requestHeader: { clientCAFile: args.caFile, allowedNames: ['front-proxy-client'] },
    },
  });
  // Today's path: one worker, and a runner that cannot keep models, so each refresh refits.
  const runner: ForecastRunner | undefined = args.mode === 'refit' ? withoutKeptModels(new WorkerForecastRunner({ workers: 1 })) : undefined;
  const running = await serve({ config, logger: createLogger({ level: 'warn' }), ...(runner ? { runner } : {}) });
  const cache = running.app.forecasts.cache;
  // How long the serving thread kept requests waiting: reset at each round's start (`progress(sinceMs)` with a new sinceMs).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let loopSince = 0;
  // Collector pauses of the serving thread since the round started: the part of the delay that is not our code.
  // By kind (minor = scavenge, major = mark-compact, incremental, weakcb): which collector the longest pauses come from.
  let gc: Record<string, { count: number; totalMs: number; maxMs: number }> = {};
  const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? 'other';
      const k = (gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      k.count++;
      k.totalMs += e.duration;
      k.maxMs = Math.max(k.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (msg: { progress?: number; heapSnapshot?: string }) => {
    if (msg.heapSnapshot !== undefined) {
      process.send?.({ written: writeHeapSnapshot(msg.heapSnapshot) });
      return;
    }
    if (msg.progress === undefined) return;
    if (msg.progress !== loopSince) {
      loopSince = msg.progress;
      loop.reset();
      gc = {};
    }
    let withForecast = 0;
    let fresh = 0;
    let warming = 0;
    const freshAfterS: number[] = [];
    for (const entry of cache.all()) {
      withForecast++;
      if (entry.generatedAtMs >= msg.progress) {
        fresh++;
        freshAfterS.push((entry.generatedAtMs - msg.progress) / 1000);
      }
      if (entry.fallbackReason?.startsWith('warming up') === true) warming++;
    }
    // When in the round the series were refreshed (s after the round started): stragglers show in the tail.
    // Sorted only once all are fresh: this runs on the thread being measured.
    if (fresh === withForecast) freshAfterS.sort((a, b) => a - b);
    else freshAfterS.length = 0;
    const at = (q: number): number | null => (freshAfterS.length > 0 ? (freshAfterS[Math.min(freshAfterS.length - 1, Math.floor(q * freshAfterS.length))] as number) : null);
    const memory = process.memoryUsage();
    process.send?.({
      withForecast,
      fresh,
      warming,
      freshAfterS: { p10: at(0.1), p50: at(0.5), p90: at(0.9), max: at(1) },
      eventLoopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      gcPauses: Object.fromEntries(Object.entries(gc).map(([kind, k]) => [kind, { count: k.count, totalMs: Math.round(k.totalMs), maxMs: Math.round(k.maxMs) }])),
      mainThreadMb: { heapUsed: Math.round(memory.heapUsed / 2 ** 20), heapTotal: Math.round(memory.heapTotal / 2 ** 20), external: Math.round(memory.external / 2 ** 20), arrayBuffers: Math.round(memory.arrayBuffers / 2 ** 20) },
    });
  });
  process.send?.({ port: running.port, metricsPort: running.externalMetrics!.port });
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

function withoutKeptModels(runner: WorkerForecastRunner): ForecastRunner {
  return { run: (job) => runner.run(job), close: () => runner.close() };
}

void main();
