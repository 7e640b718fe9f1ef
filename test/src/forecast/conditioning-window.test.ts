import { SeasonalForecaster } from '../../../models/seasonal/seasonal';
import { conditioningSpanSeconds } from '../../../src/forecast/conditioning-window';
import { loadTraces } from '../../../bench/lib/traces';

/**
 * A refresh conditions the kept seasonal model on a short tail of history instead of the full
 * window: that is only right if the forecast is the same, which each shipped trace checks.
 */
describe('conditioning window', () => {
  const traces = loadTraces().filter((t) => t.series.values.length >= 200);

  it.each(traces.map((t) => [t.name, t] as const))('conditioning the seasonal model on the tail of %s forecasts exactly what the full window does', async (_name, trace) => {
    const { series } = trace;
    const n = series.values.length;
    const fitEnd = Math.floor(n * 0.8);
    const horizonSteps = Math.max(2, Math.round(3600 / series.stepSeconds));
    const fitted = await new SeasonalForecaster({ horizonSteps }).fit({ ...series, values: Array.from(series.values).slice(0, fitEnd) });
    const extended = { ...series, values: Array.from(series.values).slice(0, Math.floor(n * 0.9)) };
    // The refresh reads `span` seconds back from the newest sample, inclusive.
    const tailSteps = Math.floor(conditioningSpanSeconds('seasonal', { history: 14 * 86_400, step: series.stepSeconds }) / series.stepSeconds) + 1;
    const from = Math.max(0, extended.values.length - tailSteps);
    const tail = { ...series, startMs: series.startMs + from * series.stepSeconds * 1000, values: extended.values.slice(from) };

    const full = (await fitted.condition(extended)).predict(horizonSteps, { quantiles: [0.5, 0.9] });
    const short = (await fitted.condition(tail)).predict(horizonSteps, { quantiles: [0.5, 0.9] });

    expect(tail.values.length).toBeLessThan(extended.values.length);
    expect(short).toEqual(full);
  });

  it('reads the full history window for a kind it does not know the tail of', () => {
    expect(conditioningSpanSeconds('mstl', { history: 14 * 86_400, step: 60 })).toBe(14 * 86_400);
    expect(conditioningSpanSeconds('seasonal', { history: 14 * 86_400, step: 60 })).toBe(6 * 3600);
    expect(conditioningSpanSeconds('seasonal', { history: 3600, step: 60 })).toBe(3600);
  });
});
