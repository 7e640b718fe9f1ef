import { modelKind } from '../../../models/model-kinds';
import { backtest } from '../../../training/backtest';
import { readSeriesFile } from '../read-series-file';
import { formatTable } from '../format-table';
import { progressBar } from '../progress';

export interface BacktestCommandOptions {
  stepSeconds: number;
  horizonSeconds: number;
  timezone: string;
  kind: 'rate' | 'gauge';
  models: string[];
  windows: number;
  json: boolean;
}

/** `prescale backtest FILE --step D --horizon D [--models a,b] [--json]`: rolling-origin scores per model. */
export async function backtestCommand(file: string, options: BacktestCommandOptions, out: NodeJS.WritableStream): Promise<number> {
  const series = readSeriesFile(file, { stepSeconds: options.stepSeconds, kind: options.kind, timezone: options.timezone });
  const horizonSteps = Math.max(1, Math.ceil(options.horizonSeconds / options.stepSeconds));
  const forecasters = options.models.map((m) => modelKind(m).create({ horizonSteps }));
  const bar = progressBar('backtest');
  const result = await backtest(series, forecasters, { horizonSteps, windows: options.windows, onWindow: (d, t) => bar.update(d, t) }).finally(() => bar.stop());
  if (options.json) {
    out.write(`${JSON.stringify({ file, step: options.stepSeconds, horizon: options.horizonSeconds, windows: result.origins.length, models: result.models }, null, 2)}\n`);
    return 0;
  }
  const quantileKeys = Object.keys(result.models[0]?.coverage ?? {});
  const header = ['model', 'MASE', 'sMAPE%', 'pinball', ...quantileKeys.map((k) => `cov@${k}`), 'windows'];
  const rows = result.models.map((m) => [
    m.model,
    m.mase.toFixed(3),
    m.smape.toFixed(2),
    m.pinball.toFixed(3),
    ...quantileKeys.map((k) => (m.coverage[k] ?? Number.NaN).toFixed(3)),
    String(m.windows),
  ]);
  out.write(formatTable([header, ...rows]));
  return 0;
}
