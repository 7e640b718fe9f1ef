import type { Forecast, RegularSeries } from '../models/core/forecaster';
import { applyObservationFloor } from '../src/forecast/observation-floor';
import type { PublishedPoint } from '../src/forecast/published-forecast';
import { reactiveDemand, windowObservations } from '../src/forecast/reactive-demand';
import { flatPoints } from '../src/forecast/trust-fallback';

/**
 * The seam where the serving path's forecast stages plug into a replay, in the order the
 * service applies them. Issue 15 adds two stages on other branches; the integrator wires
 * them here after the merge (docs/simulate.md, "The decision path"):
 * - `calibrate`: the adaptive conformal adjustment of branch `models-q` (`models/core/…`),
 *   which moves the quantiles by the observed miss rate. It sees the raw model forecast and
 *   the history up to now, and returns the forecast with adjusted quantiles.
 * - `gate`: the live-accuracy trust gate of branch `accuracy` (`src/accuracy/…`). It sees the
 *   observation-floored forecast and the history, and either passes it or returns a
 *   `fallbackReason`; the replay then plans from the reactive demand (the peak observation
 *   over the observation-floor window, `reactiveDemand`), as the service publishes it.
 * Both default to identity, which is what the service does without them.
 */
export interface ReplayForecastStages {
  calibrate?(forecast: Forecast, observed: RegularSeries): Forecast;
  gate?(forecast: Forecast, observed: RegularSeries): { forecast: Forecast } | { fallbackReason: string };
}

/** The service's observation floor (`forecast.observationFloor`, `observationFloorHorizon`). */
export interface ObservationFloorSettings {
  readonly enabled: boolean;
  readonly horizonSeconds: number;
}

/** The defaults of the service config (`forecast.observationFloor: true`, `observationFloorHorizon: 5m`). */
export const SERVICE_OBSERVATION_FLOOR: ObservationFloorSettings = { enabled: true, horizonSeconds: 300 };

/** The last finite value of `observed` and the start of its step, or null when none. */
export function lastObservation(observed: RegularSeries): { t: number; v: number } | null {
  const values = observed.values;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i] as number;
    if (Number.isFinite(v)) return { t: observed.startMs + i * observed.stepSeconds * 1000, v };
  }
  return null;
}

/** Trailing steps of `observed` with no value: the replay's notion of "no new sample". */
export function missingTail(observed: RegularSeries): number {
  let n = 0;
  for (let i = observed.values.length - 1; i >= 0 && !Number.isFinite(observed.values[i] as number); i--) n++;
  return n;
}

export interface ServedForecast {
  /** Points as the service publishes them: the current step (the observed load) and the forecast after it. */
  readonly points: PublishedPoint[];
  /** Set when the gate refused the forecast: the points are the reactive demand (`reactiveDemand`). */
  readonly fallbackReason?: string;
}

/**
 * A model forecast taken through the serving stages: calibration, the observation floor, the
 * trust gate. The points start at the current step with the observed load (what the plan
 * holds now), as `publishForecast` starts a view at the step that holds now.
 */
export function serveForecast(forecast: Forecast, observed: RegularSeries, stages: ReplayForecastStages, floor: ObservationFloorSettings): ServedForecast {
  const last = lastObservation(observed);
  const calibrated = stages.calibrate ? stages.calibrate(forecast, observed) : forecast;
  const floored = floor.enabled && last ? applyObservationFloor(calibrated, { t: last.t, v: last.v }, floor.horizonSeconds) : calibrated;
  const gated = stages.gate ? stages.gate(floored, observed) : { forecast: floored };
  const currentMs = observed.startMs + (observed.values.length - 1) * observed.stepSeconds * 1000;
  const now = last ? last.v : 0;
  const levels = Object.keys(floored.quantiles);
  const flat = (v: number): Record<string, number> => Object.fromEntries(levels.map((k) => [k, v]));
  const points: PublishedPoint[] = [{ t: currentMs, value: now, quantiles: flat(now) }];
  if ('fallbackReason' in gated) {
    // The service's trust fallback (src/forecast/trust-fallback.ts): every step, the current one
    // included, at the reactive demand over the observation-floor window.
    for (let j = 0; j < floored.mean.length; j++) points.push({ t: floored.startMs + j * floored.stepSeconds * 1000, value: now, quantiles: flat(now) });
    const reactive = last ? reactiveDemand(windowObservations(observed, floor.horizonSeconds), last, floor.horizonSeconds) : now;
    return { points: flatPoints(points, reactive), fallbackReason: gated.fallbackReason };
  }
  const f = gated.forecast;
  for (let j = 0; j < f.mean.length; j++) {
    const quantiles: Record<string, number> = {};
    for (const k of levels) quantiles[k] = (f.quantiles[k] as number[])[j] as number;
    points.push({ t: f.startMs + j * f.stepSeconds * 1000, value: f.mean[j] as number, quantiles });
  }
  return { points };
}
