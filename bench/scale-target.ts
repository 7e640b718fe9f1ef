/**
 * The service under test of `bench/scale.ts`, in its own process so its RSS is its own.
 * `kept`: the service as shipped (kept models conditioned, `forecast.workers` threads);
 * `refit`: the same service with the refit-every-refresh path of before (one forecast
 * worker, a runner without `step`, so every refresh reads the full window and fits).
 * Reports `{ port, metricsPort }` over IPC once listening; answers `{ progress: sinceMs }`
 * with how many series have a forecast, how many were refreshed since `sinceMs`, and how many
 * still serve a warm-up stand-in. Exits on SIGTERM.
 */
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
  process.on('message', (msg: { progress?: number }) => {
    if (msg.progress === undefined) return;
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
    freshAfterS.sort((a, b) => a - b);
    const at = (q: number): number | null => (freshAfterS.length > 0 ? (freshAfterS[Math.min(freshAfterS.length - 1, Math.floor(q * freshAfterS.length))] as number) : null);
    process.send?.({ withForecast, fresh, warming, freshAfterS: { p10: at(0.1), p50: at(0.5), p90: at(0.9), max: at(1) } });
  });
  process.send?.({ port: running.port, metricsPort: running.externalMetrics!.port });
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

function withoutKeptModels(runner: WorkerForecastRunner): ForecastRunner {
  return { run: (job) => runner.run(job), close: () => runner.close() };
}

void main();
