import { Gauge, type Registry } from 'prom-client';
import { ACCURACY_WINDOWS } from '../config/trust-gate-schema';
import type { AccuracyTracker } from './accuracy-tracker';
import { scoresOf } from './score-sums';
import { TRUST_FALLBACK_REASONS } from './trust-gate';

/**
 * Live accuracy gauges, read from the tracker at scrape time. Labels are bounded: `series`
 * from the config, `window` one of 1h/24h/7d, `level` the series' configured quantile levels
 * (not `quantile`: `promtool check metrics` keeps that label for summaries),
 * `reason` one of the gate's two. Scores pool every horizon bucket (the per-bucket split is in
 * `GET /v1/series/{name}`); a window without scored points has no sample.
 */
export function registerAccuracyMetrics(registry: Registry, tracker: Pick<AccuracyTracker, 'all'>, clock: { now(): number }): void {
  type WindowScores = { series: string; window: string; levels: readonly number[]; scores: ReturnType<typeof scoresOf> }[];
  // Computed once per scrape, not once per gauge: at ten thousand series each pass sums 30,000 windows.
  let memo: WindowScores | null = null;
  const windowScores = (): WindowScores => {
    if (memo) return memo;
    const nowMs = clock.now();
    memo = tracker.all().flatMap((t) =>
      ACCURACY_WINDOWS.map((window) => ({ series: t.config.name, window, levels: t.config.quantiles, scores: scoresOf(t.accuracy.sums(window, nowMs), t.config.quantiles) })),
    );
    // The gauges of one scrape collect in the same turn of the event loop; the next scrape computes afresh.
    setImmediate(() => {
      memo = null;
    });
    return memo;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill(this);
      },
    });
  };
  gauge('prescale_forecast_mase', 'Live MASE of the served forecast over the window (scale: in-sample seasonal-naive MAE, as the backtest).', ['series', 'window'], (g) => {
    for (const w of windowScores()) if (w.scores.mase !== null) g.set({ series: w.series, window: w.window }, w.scores.mase);
  });
  gauge('prescale_forecast_seasonal_naive_mase', "Live MASE of seasonal-naive's forecast for the same targets over the window.", ['series', 'window'], (g) => {
    for (const w of windowScores()) if (w.scores.naiveMase !== null) g.set({ series: w.series, window: w.window }, w.scores.naiveMase);
  });
  gauge('prescale_forecast_scored_points', 'Forecast points scored against their actual over the window (all horizon buckets).', ['series', 'window'], (g) => {
    for (const w of windowScores()) g.set({ series: w.series, window: w.window }, w.scores.points);
  });
  gauge('prescale_forecast_coverage', 'Share of actuals at or below the served quantile forecast over the window.', ['series', 'level', 'window'], (g) => {
    for (const w of windowScores()) for (const [q, v] of Object.entries(w.scores.coverage)) if (v !== null) g.set({ series: w.series, level: q, window: w.window }, v);
  });
  gauge('prescale_forecast_pinball_loss', 'Mean pinball loss of the served quantile over the window, scaled like MASE.', ['series', 'level', 'window'], (g) => {
    for (const w of windowScores()) for (const [q, v] of Object.entries(w.scores.pinball)) if (v !== null) g.set({ series: w.series, level: q, window: w.window }, v);
  });
  gauge('prescale_forecast_trust_fallback', '1 while the trust gate publishes the reactive demand (peak observation over the observation-floor window) for this reason, else 0.', ['series', 'reason'], (g) => {
    for (const t of tracker.all()) {
      const engaged = t.gate.engaged && t.config.trustGate.enabled;
      for (const reason of TRUST_FALLBACK_REASONS) g.set({ series: t.config.name, reason }, engaged && t.gate.reason === reason ? 1 : 0);
    }
  });
}
