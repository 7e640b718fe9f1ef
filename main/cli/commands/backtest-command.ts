import { modelKind } from '../../../models/model-kinds';
import { type BacktestResult, backtest } from '../../../training/backtest';
import { dieboldMarianoOf } from '../../../training/diebold-mariano';
import { readSeriesFile } from '../read-series-file';
import { formatTable } from '../format-table';
import { progressBar } from '../progress';

/**
 * Each LSTM fit in a backtest gets a 20 s budget (the served model gets `training.lstm.timeBudget`),
 * so that with a refit every 8 origins a 9,000-point series backtests in minutes (docs/training.md).
 */
const BACKTEST_TRAINING = { backend: 'auto', lstm: { timeBudgetSeconds: 20 } } as const;

export interface BacktestCommandOptions {
  /** The series step; the file's own (median spacing) when absent. */
  stepSeconds?: number | undefined;
  horizonSeconds: number;
  timezone: string;
  kind: 'rate' | 'gauge';
  models: string[];
  windows: number;
  /** Trained models (lstm, ensemble) retrain every this many origins and are conditioned in between. */
  refitEvery?: number;
  json: boolean;
}

/**
 * `prescale backtest FILE|- [--step D] --horizon D [--models a,b] [--json]`: rolling-origin
 * scores per model, and for every model after the first the Diebold–Mariano statistic of its
 * per-window errors against the first's (negative: it is the more accurate; beyond ±1.96 at
 * the 5% level), so that a lower MASE can be told from the noise of the windows.
 */
export async function backtestCommand(file: string, options: BacktestCommandOptions, out: NodeJS.WritableStream): Promise<number> {
  const series = readSeriesFile(file, { stepSeconds: options.stepSeconds, kind: options.kind, timezone: options.timezone });
  const horizonSteps = Math.max(1, Math.ceil(options.horizonSeconds / series.stepSeconds));
  const forecasters = options.models.map((m) => modelKind(m).create({ horizonSteps, training: BACKTEST_TRAINING }));
  const bar = progressBar('backtest');
  const result = await backtest(series, forecasters, { horizonSteps, windows: options.windows, refitEvery: options.refitEvery ?? 8, onWindow: (d, t) => bar.update(d, t) }).finally(() => bar.stop());
  const reference = result.models[0]?.model ?? '';
  const dm = againstFirst(result);
  if (options.json) {
    const models = result.models.map((m, i) => ({ ...m, dieboldMariano: i === 0 ? null : { against: reference, statistic: finiteOrNull(dm[i]!) } }));
    out.write(`${JSON.stringify({ file, step: series.stepSeconds, horizon: options.horizonSeconds, windows: result.origins.length, models }, null, 2)}\n`);
    return 0;
  }
  const quantileKeys = Object.keys(result.models[0]?.coverage ?? {});
  const header = ['model', 'MASE', 'sMAPE%', 'pinball', ...quantileKeys.map((k) => `cov@${k}`), 'windows', ...(dm.length > 1 ? [`DM vs ${reference}`] : [])];
  const rows = result.models.map((m, i) => [
    m.model,
    m.mase.toFixed(3),
    m.smape.toFixed(2),
    m.pinball.toFixed(3),
    ...quantileKeys.map((k) => (m.coverage[k] ?? Number.NaN).toFixed(3)),
    String(m.windows),
    ...(dm.length > 1 ? [i === 0 ? '-' : dm[i]!.toFixed(2)] : []),
  ]);
  out.write(formatTable([header, ...rows]));
  return 0;
}

/** Per model, the Diebold–Mariano statistic of its window errors against the first model's (NaN for the first). */
function againstFirst(result: BacktestResult): number[] {
  const first = result.windowErrors[0] ?? [];
  return result.windowErrors.map((errors, i) => (i === 0 ? Number.NaN : dieboldMarianoOf(errors, first)));
}

/** JSON has no NaN or Infinity: a statistic that is not a number is null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
