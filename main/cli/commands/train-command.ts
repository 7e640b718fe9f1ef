import { basename } from 'node:path';
import type { RegularSeries } from '../../../models/core/forecaster';
import { type TrainResult, trainAndRegister } from '../../../training/trainer';
import { openModelRegistry } from '../../model-registry-for';
import { openStorage } from '../../storage';
import { loadConfig } from '../../../src/config/load-config';
import type { Config } from '../../../src/config/schema';
import { invalidInput } from '../../../src/errors/prescale-error';
import { servingHorizonSteps } from '../../../src/forecast/serving-horizon';
import { readHistoryWindow } from '../../../src/store/history-window';
import { EXIT_FAILURE, EXIT_OK } from '../cli-errors';
import { readSeriesFile } from '../read-series-file';
import { trainingProgress } from '../training-progress';

export interface TrainCommandOptions {
  config?: string;
  series?: string;
  csv?: string;
  /** For --csv: the file's series name in the registry, its step, horizon, timezone and kind. */
  name?: string;
  stepSeconds?: number;
  horizonSeconds: number;
  timezone: string;
  kind: 'rate' | 'gauge';
}

interface Target {
  name: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
}

/**
 * `prescale train [--series NAME | --csv FILE]`: trains once and exits (the entry point of a
 * scheduled Kubernetes Job). Series come from the history store of the config (all
 * configured series when no --series is given) or from a CSV file; each candidate goes
 * through the promotion gate into the registry. Runs in its own process, never the server's.
 */
export async function trainCommand(options: TrainCommandOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (options.series && options.csv) throw invalidInput('--csv', 'give either --series or --csv, not both');
  const config = loadConfig({ file: options.config, env });
  const targets = options.csv ? [csvTarget(options.csv, options)] : await storeTargets(config, options.series);
  const { registry, close } = await openModelRegistry(config);
  const progress = trainingProgress();
  let failed = 0;
  try {
    for (const target of targets) {
      try {
        const result = await trainAndRegister(
          {
            seriesName: target.name,
            series: target.series,
            horizonSteps: target.horizonSteps,
            quantiles: target.quantiles,
            config: config.training,
            onEpoch: (p) => progress.epoch(target.name, p),
          },
          registry,
        );
        progress.done();
        out.write(`${resultLine(result)}\n`);
      } catch (err) {
        progress.done();
        failed++;
        process.stderr.write(`prescale: series=${target.name} training failed: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await close();
  }
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

function resultLine(r: TrainResult): string {
  return `series=${r.series} version=${r.version} kind=${r.kind} decision=${r.decision} backend=${r.backend ?? 'none'} fit_s=${r.fitSeconds.toFixed(1)} reason="${r.reason}"`;
}

function csvTarget(file: string, o: TrainCommandOptions): Target {
  if (o.stepSeconds === undefined) throw invalidInput('--step', 'is required with --csv (e.g. --step 5m)');
  const series = readSeriesFile(file, { stepSeconds: o.stepSeconds, kind: o.kind, timezone: o.timezone });
  const name = o.name ?? basename(file).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return { name, series, horizonSteps: Math.max(1, Math.ceil(o.horizonSeconds / o.stepSeconds)), quantiles: [0.5, 0.9] };
}

async function storeTargets(config: Readonly<Config>, only: string | undefined): Promise<Target[]> {
  const chosen = only ? config.series.filter((s) => s.name === only) : config.series;
  if (only && chosen.length === 0) throw invalidInput('--series', `"${only}" is not a configured series (known: ${config.series.map((s) => s.name).join(', ')})`);
  const storage = openStorage(config, { stepReads: 'inline' });
  const store = storage.history;
  try {
    const targets: Target[] = [];
    for (const s of chosen) {
      // A series without samples still becomes a target, so its failure is reported by name.
      const { series } = await readHistoryWindow(store, s);
      targets.push({ name: s.name, series: { ...series, values: Array.from(series.values) }, horizonSteps: servingHorizonSteps(s), quantiles: s.quantiles });
    }
    return targets;
  } finally {
    await storage.close();
  }
}
