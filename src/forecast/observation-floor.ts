import type { Forecast } from '../../models/core/forecaster';
import type { Sample } from '../series/sample';

/**
 * Safety rule 1: never advise less than what is observed now. Every value (point and
 * quantiles) of the steps up to `floorSeconds` after the last observation is raised to at
 * least that observation, so a forecast dip cannot scale capacity below the current load.
 */
export function applyObservationFloor(forecast: Forecast, last: Sample, floorSeconds: number): Forecast {
  const limitMs = last.t + floorSeconds * 1000;
  const stepMs = forecast.stepSeconds * 1000;
  const raise = (values: number[]): number[] =>
    values.map((v, i) => (forecast.startMs + i * stepMs <= limitMs ? Math.max(v, last.v) : v));
  const quantiles: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(forecast.quantiles)) quantiles[key] = raise(values);
  return { ...forecast, mean: raise(forecast.mean), quantiles };
}
