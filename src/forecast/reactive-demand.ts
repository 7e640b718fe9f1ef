import type { Sample } from '../series/sample';

/**
 * The reactive demand while the trust gate holds a series: the highest observation over the
 * observation-floor window ending at the newest sample (`forecast.observationFloorHorizon`,
 * 5 min by default), never below that newest sample. A reactive HPA keeps the peak of its
 * recommendations over its scale-down stabilization window (300 s by default), so a gated
 * series that published only its newest sample would ask for less than the HPA it replaces
 * right after a peak. Observations outside `[last.t − window, last.t]` and non-finite values
 * are ignored. Pure.
 */
export function reactiveDemand(observations: Iterable<Sample>, last: Sample, windowSeconds: number): number {
  const fromMs = last.t - windowSeconds * 1000;
  let peak = last.v;
  for (const s of observations) if (s.t >= fromMs && s.t <= last.t && Number.isFinite(s.v) && s.v > peak) peak = s.v;
  return peak;
}

/** The observations of the window {@link reactiveDemand} reads, from the newest end of a regular series (a replay's or a refresh's history). Pure. */
export function windowObservations(series: { startMs: number; stepSeconds: number; values: ArrayLike<number> }, windowSeconds: number): Sample[] {
  const stepMs = series.stepSeconds * 1000;
  const n = series.values.length;
  const out: Sample[] = [];
  const keep = Math.floor(windowSeconds / series.stepSeconds) + 1;
  for (let i = Math.max(0, n - keep); i < n; i++) {
    const v = series.values[i] as number;
    if (Number.isFinite(v)) out.push({ t: series.startMs + i * stepMs, v });
  }
  return out;
}
