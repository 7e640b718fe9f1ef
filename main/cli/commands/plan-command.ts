import { existsSync } from 'node:fs';
import { Registry } from 'prom-client';
import { dataDirLayout } from '../../../src/config/data-dir-layout';
import { loadConfig } from '../../../src/config/load-config';
import { invalidInput } from '../../../src/errors/prescale-error';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastService } from '../../../src/forecast/forecast-service';
import { planSetJson } from '../../../api/rest/plan-json';
import { PlanService } from '../../../src/planner/plan-service';
import { planTable } from '../../../api/rest/plan-table';
import { historyUntil } from '../../../src/store/history-until';
import { parseInstant } from '../../../src/time/parse-instant';
import { openStorage } from '../../storage';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';

export interface PlanCommandOptions {
  config: string;
  at?: string | undefined;
  json: boolean;
  all: boolean;
}

/**
 * `prescale plan --config FILE [--at ISO-TIME] [--json]`: forecasts each pool's series from
 * the history stored under `storage.dataDir` as it was at `--at` (default now), then prints
 * the plan of every pool with the reason for each step. Without stored history the plan
 * still shows schedules, events and minReplicas.
 */
export async function planCommand(options: PlanCommandOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const config = loadConfig({ file: options.config, env });
  const atMs = options.at === undefined ? Date.now() : parseAt(options.at);
  const file = dataDirLayout(config).historyFile;
  // No SQLite file yet: plan without history (opening it would create an empty one).
  const storage = config.storage.backend === 'postgres' || existsSync(file) ? openStorage(config) : null;
  const store = historyUntil(storage?.history ?? null, atMs);
  const clock = { now: () => atMs };
  const runner = new InProcessForecastRunner();
  const forecasts = new ForecastService({
    config,
    store,
    runner,
    clock,
    logger: createLogger({ level: 'silent' }),
    metrics: createServiceMetrics(new Registry()),
  });
  try {
    await forecasts.refreshAll();
    const set = new PlanService({ config, forecasts, clock }).plan();
    if (options.json) out.write(`${JSON.stringify(planSetJson(set), null, 2)}\n`);
    else out.write(set.pools.map((p) => planTable(p, { allSteps: options.all })).join('\n'));
    return 0;
  } finally {
    await forecasts.close();
    await runner.close();
    await storage?.close();
  }
}

function parseAt(raw: string): number {
  const parsed = parseInstant(raw);
  if (!parsed.ok) throw invalidInput('--at', `"${raw}" is not an ISO 8601 time with offset (e.g. 2026-12-01T08:56:00Z)`);
  return parsed.ms;
}
