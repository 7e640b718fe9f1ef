import { basename } from 'node:path';
import type { RegularSeries } from '../../../models/core/forecaster';
import { type Shard, seriesOfShard } from '../../../training/shard';
import { type TrainResult, trainAndRegister } from '../../../training/trainer';
import { openModelRegistry } from '../../model-registry-for';
import { loadCliConfig } from '../cli-env';
import { openStorage } from '../../storage';
import type { Config } from '../../../src/config/schema';
import { invalidInput } from '../../../src/errors/prescale-error';
import { servingHorizonSteps } from '../../../src/forecast/serving-horizon';
import { readHistoryWindow } from '../../../src/store/history-window';
import { EXIT_FAILURE, EXIT_OK } from '../cli-errors';
import { STDIN_FILE, readSeriesFile } from '../read-series-file';
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
  /** Train only this share of the configured series (an Indexed Job's pod). */
  shard?: Shard;
  /** Print one JSON document on stdout instead of one line per series. */
  json?: boolean;
}

interface Target {
  name: string;
  series: RegularSeries;
  horizonSteps: number;
  quantiles: readonly number[];
}

/**
 * `prescale train [--series NAME | --csv FILE | --shard INDEX/COUNT] [--json]`: trains once and
 * exits (the entry point of a Kubernetes Job). Series come from the history store of the config
 * (all configured series, one of them, or the share of one shard; `training/shard.ts`) or from a
 * CSV file; each candidate goes through the promotion gate into the registry. Runs in its own
 * process, never the server's. Exit 0 when every series trained (an empty shard included), 1
 * when any failed (the others are still registered).
 */
export async function trainCommand(options: TrainCommandOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (options.series && options.csv) throw invalidInput('--csv', 'give either --series or --csv, not both');
  if (options.shard && (options.series || options.csv)) throw invalidInput('--shard', `shares out the configured series; give it without ${options.series ? '--series' : '--csv'}`);
  const config = loadCliConfig(options.config, env);
  const targets = options.csv ? [csvTarget(options.csv, options)] : await storeTargets(config, chosenSeries(config, options));
  if (options.shard && targets.length === 0) process.stderr.write(`prescale: shard ${options.shard.index}/${options.shard.count} holds none of the ${config.series.length} configured series; nothing to train\n`);
  const { registry, close } = await openModelRegistry(config);
  const progress = trainingProgress();
  const trained: TrainResult[] = [];
  const failed: { series: string; error: string }[] = [];
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
            // As the service's own training does: under auto the Job chooses the kind too.
            chooseKind: config.forecast.model === 'auto',
            onEpoch: (p) => progress.epoch(target.name, p),
          },
          registry,
        );
        progress.done();
        trained.push(result);
        if (!options.json) out.write(`${resultLine(result)}\n`);
      } catch (err) {
        progress.done();
        failed.push({ series: target.name, error: (err as Error).message });
        process.stderr.write(`prescale: series=${target.name} training failed: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await close();
  }
  if (options.json) out.write(`${JSON.stringify({ shard: options.shard ?? null, trained, failed }, null, 2)}\n`);
  return failed.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

/** The configured series this run trains: one (`--series`), one shard's share, or all. */
function chosenSeries(config: Readonly<Config>, options: TrainCommandOptions): Readonly<Config>['series'] {
  const only = options.series;
  if (only) {
    const chosen = config.series.filter((s) => s.name === only);
    if (chosen.length === 0) throw invalidInput('--series', `"${only}" is not a configured series (known: ${config.series.map((s) => s.name).join(', ')})`);
    return chosen;
  }
  if (!options.shard) return config.series;
  const names = new Set(seriesOfShard(config.series.map((s) => s.name), options.shard));
  return config.series.filter((s) => names.has(s.name));
}

function resultLine(r: TrainResult): string {
  const choice = r.choice ? ` choice="${r.choice.reason}"` : '';
  return `series=${r.series} version=${r.version} kind=${r.kind} decision=${r.decision} backend=${r.backend ?? 'none'} fit_s=${r.fitSeconds.toFixed(1)} reason="${r.reason}"${choice}`;
}

function csvTarget(file: string, o: TrainCommandOptions): Target {
  if (file === STDIN_FILE && o.name === undefined) throw invalidInput('--name', 'is required with --csv - (standard input has no file name to name the series after)');
  // Without --step, the file's own (median spacing), as forecast, backtest and simulate take it.
  const series = readSeriesFile(file, { stepSeconds: o.stepSeconds, kind: o.kind, timezone: o.timezone });
  const name = o.name ?? basename(file).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return { name, series, horizonSteps: Math.max(1, Math.ceil(o.horizonSeconds / series.stepSeconds)), quantiles: [0.5, 0.9] };
}

async function storeTargets(config: Readonly<Config>, chosen: Readonly<Config>['series']): Promise<Target[]> {
  if (chosen.length === 0) return [];
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
