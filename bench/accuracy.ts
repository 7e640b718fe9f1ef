import type { Forecaster } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';
import { SeasonalForecaster } from '../models/seasonal/seasonal';
import { SeasonalNaiveForecaster } from '../models/seasonal-naive/seasonal-naive';
import { formatTable } from '../main/cli/format-table';
import { type ModelScore, backtest } from '../training/backtest';
import { geometricMean, loadTraces } from './lib/traces';
import { AugursMstlForecaster } from './peers/augurs-mstl';

/**
 * bench:accuracy — rolling-origin backtest (1 h horizon, at least one step; 24 origins over
 * the last week) of Prescale's models (seasonal-naive, seasonal, LSTM, ensemble) and the augurs MSTL peer on every trace in
 * test/data/traces, all on identical windows. Prints MASE and p90 coverage per trace, then
 * geometric means (MASE) and mean coverage.
 */
/**
 * The LSTM (alone and inside the ensemble) trains on the first origin and then every
 * REFIT_EVERY origins, and is conditioned on the newer data in between (docs/training.md);
 * each fit gets a small time budget so the whole table runs in minutes on two cores.
 */
const REFIT_EVERY = 12;
const BACKTEST_TRAINING = { backend: 'auto', lstm: { timeBudgetSeconds: 15 } } as const;

async function main(): Promise<void> {
  const traces = loadTraces();
  const contenders = (horizonSteps: number): Forecaster[] => [
    new SeasonalNaiveForecaster(),
    new SeasonalForecaster({ horizonSteps }),
    new AugursMstlForecaster(),
    modelKind('lstm').create({ horizonSteps, training: BACKTEST_TRAINING }),
    modelKind('ensemble').create({ horizonSteps, training: BACKTEST_TRAINING }),
  ];
  const names = contenders(1).map((c) => c.name);
  const perModel = new Map<string, ModelScore[]>(names.map((n) => [n, []]));
  const rows: string[][] = [['trace', 'step', ...names.map((n) => `${n} MASE`), ...names.map((n) => `${n} p50/p90cov`)]];
  for (const trace of traces) {
    const horizonSteps = Math.max(1, Math.round(3600 / trace.series.stepSeconds));
    const result = await backtest(trace.series, contenders(horizonSteps), { horizonSteps, windows: 24, refitEvery: REFIT_EVERY });
    for (const m of result.models) perModel.get(m.model)!.push(m);
    rows.push([
      trace.name,
      `${trace.series.stepSeconds / 60}m`,
      ...result.models.map((m) => m.mase.toFixed(3)),
      ...result.models.map((m) => `${(m.coverage['0.5'] ?? Number.NaN).toFixed(2)}/${(m.coverage['0.9'] ?? Number.NaN).toFixed(2)}`),
    ]);
    process.stderr.write(`${trace.name}: ${result.models.map((m) => `${m.model} ${m.fitSeconds.toFixed(1)}s`).join(', ')}\n`);
  }
  rows.push([
    'geometric mean / mean',
    '',
    ...names.map((n) => geometricMean(perModel.get(n)!.map((m) => m.mase)).toFixed(3)),
    ...names.map((n) => `${mean(perModel.get(n)!.map((m) => m.coverage['0.5'] ?? Number.NaN)).toFixed(2)}/${mean(perModel.get(n)!.map((m) => m.coverage['0.9'] ?? Number.NaN)).toFixed(2)}`),
  ]);
  process.stdout.write(formatTable(rows));
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:accuracy failed: ${String(err)}\n`);
  process.exitCode = 1;
});
