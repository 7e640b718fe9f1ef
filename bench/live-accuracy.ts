import { performance } from 'node:perf_hooks';
import type { RegularSeries } from '../models/core/forecaster';
import { SeasonalNaiveForecaster } from '../models/seasonal-naive/seasonal-naive';
import { formatTable } from '../main/cli/format-table';
import { SeriesAccuracy } from '../src/accuracy/series-accuracy';
import { loadTraces } from './lib/traces';

/**
 * bench:live-accuracy — what live accuracy adds to one forecast refresh: `SeriesAccuracy.observe`
 * (score the settled targets, remember the new forecast: O(history) for the MASE scale plus
 * O(horizon)) on every shipped trace, with 14 days of history (or what the trace has) and a
 * 6-hour forecast, stepping one step per refresh over the trace's last 200 steps.
 *
 * Peer in the same run: fitting and predicting seasonal-naive on the same history, the
 * cheapest model a refresh can run, so the ratio says how much of a refresh accuracy costs.
 * Also shown: the JSON size of the series' saved state after the run (what `accuracy.json`
 * holds per series).
 */
const REFRESHES = 200;
const HISTORY_DAYS = 14;
const QUANTILES = [0.5, 0.9];

async function main(): Promise<void> {
  const rows = [['trace', 'step', 'history', 'observe µs', 'seasonal-naive µs', 'ratio', 'state KiB', 'scored']];
  for (const trace of loadTraces()) {
    const { series } = trace;
    const stepMs = series.stepSeconds * 1000;
    const historySteps = Math.min(Math.round((HISTORY_DAYS * 86_400) / series.stepSeconds), series.values.length - REFRESHES - 1);
    const horizon = Math.max(1, Math.round(21_600 / series.stepSeconds));
    const accuracy = new SeriesAccuracy(QUANTILES, series.stepSeconds);
    const naive = new SeasonalNaiveForecaster();
    let observeMs = 0;
    let naiveMs = 0;
    let scored = 0;
    const firstEnd = series.values.length - REFRESHES;
    for (let end = firstEnd; end < series.values.length; end++) {
      const start = end - historySteps;
      const window: RegularSeries = { ...series, startMs: series.startMs + start * stepMs, values: Array.prototype.slice.call(series.values, start, end) as number[] };
      const t0 = performance.now();
      const forecast = (await naive.fit(window)).predict(horizon, { quantiles: QUANTILES });
      const t1 = performance.now();
      scored += accuracy.observe(window, forecast, window.startMs + window.values.length * stepMs);
      const t2 = performance.now();
      naiveMs += t1 - t0;
      observeMs += t2 - t1;
    }
    const kib = JSON.stringify(accuracy.toState()).length / 1024;
    rows.push([
      trace.name,
      `${series.stepSeconds}s`,
      String(historySteps),
      ((observeMs / REFRESHES) * 1000).toFixed(0),
      ((naiveMs / REFRESHES) * 1000).toFixed(0),
      (observeMs / naiveMs).toFixed(2),
      kib.toFixed(1),
      String(scored),
    ]);
  }
  process.stdout.write(formatTable(rows));
}

void main();
