import { type AdaptiveLevels, TRACKED_LEVELS, effectiveLevel, initialLevels, levelOffset, meanAbsError, missRatesOf, updateLevels } from './adaptive-levels';
import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  type TrainingInfo,
  bracketPoint,
  quantileKey,
  validatePredictArgs,
} from './forecaster';
import { forecastStartMs } from './series-stats';

/** A forecast served from an earlier origin, kept until every step of it has been observed. */
interface PendingForecast {
  startMs: number;
  /** Per tracked level key, the served (calibrated) values. */
  quantiles: Record<string, number[]>;
  median: number[];
}

/** How many past origins' forecasts are scored at most (one per origin; older ones are dropped). */
const MAX_PENDING = 240;

/**
 * Online calibration on top of any model kind (adaptive-levels.ts): every served quantile is
 * the model's own quantile at an adapted level. Each `condition` scores the forecasts served
 * from the previous origins on the steps that have now been observed (every horizon step, not
 * only the next one) and moves the levels. The adapted levels travel in the artifact
 * (`onlineCalibration`); the pending forecasts do not, so a reloaded model restarts scoring.
 */
export class OnlineCalibrated implements FittedForecaster {
  readonly name: string;
  readonly refitCost: FittedForecaster['refitCost'];
  constructor(
    readonly inner: FittedForecaster,
    readonly levels: AdaptiveLevels,
    private readonly horizonSteps: number,
    private readonly pending: readonly PendingForecast[] = [],
    /** Epoch ms where the inner model's forecast starts, when known (else read off a one-step forecast). */
    private readonly originMs?: number,
  ) {
    this.name = inner.name;
    this.refitCost = inner.refitCost;
  }

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    return predictAtLevels(this.inner, this.levels, horizonSteps, options.quantiles);
  }

  async condition(series: RegularSeries): Promise<FittedForecaster> {
    const moved = await this.inner.condition(series);
    const startMs = forecastStartMs(series);
    const stepMs = series.stepSeconds * 1000;
    const previousStart = this.originMs ?? this.inner.predict(1, { quantiles: [0.5] }).startMs;
    const advanced = Math.round((startMs - previousStart) / stepMs);
    if (advanced <= 0) return new OnlineCalibrated(moved, this.levels, this.horizonSteps, this.pending, startMs);
    const own = { startMs: previousStart, ...this.trackedQuantiles(this.inner, this.horizonSteps) };
    const scored = [...this.pending, own];
    const actuals: number[] = [];
    const medians: number[] = [];
    const byKey: Record<string, { forecast: number[]; actuals: number[] }> = {};
    for (const p of scored) {
      // Steps of p observed by this series and not by the previous one: [previousStart, startMs).
      const offset = Math.round((p.startMs - series.startMs) / stepMs);
      const first = Math.max(0, Math.round((previousStart - p.startMs) / stepMs));
      const last = Math.min(p.median.length, Math.round((startMs - p.startMs) / stepMs));
      for (let k = first; k < last; k++) {
        const y = series.values[offset + k];
        if (y === undefined || !Number.isFinite(y)) continue;
        actuals.push(y);
        medians.push(p.median[k] as number);
        for (const [key, values] of Object.entries(p.quantiles)) {
          const entry = (byKey[key] ??= { forecast: [], actuals: [] });
          entry.forecast.push(values[k] as number);
          entry.actuals.push(y);
        }
      }
    }
    const rates: Record<string, number> = {};
    for (const [key, e] of Object.entries(byKey)) Object.assign(rates, missRatesOf({ [key]: e.forecast }, e.actuals));
    const levels = updateLevels(this.levels, { missRates: rates, medianAbsError: meanAbsError(medians, actuals) }, advanced);
    const stillOpen = scored.filter((p) => p.startMs + p.median.length * stepMs > startMs).slice(-MAX_PENDING);
    return new OnlineCalibrated(moved, levels, this.horizonSteps, stillOpen, startMs);
  }

  /**
   * This model under the levels `previous` had adapted to, with its pending forecasts still to
   * be scored. A refit changes the model, not the series' recent misses: ACI carries α_t across
   * refits (Gibbs & Candès refit at every step), so a refit must not forget a level shift.
   */
  withCalibrationOf(previous: OnlineCalibrated): OnlineCalibrated {
    return new OnlineCalibrated(this.inner, previous.levels, this.horizonSteps, previous.pending, this.originMs);
  }

  trainingInfo(): TrainingInfo {
    return this.inner.trainingInfo?.() ?? { backend: null, calibration: null };
  }

  toArtifact(): ModelArtifact {
    return { ...this.inner.toArtifact(), onlineCalibration: this.levels };
  }

  private trackedQuantiles(model: FittedForecaster, horizonSteps: number): { quantiles: Record<string, number[]>; median: number[] } {
    const keys = Object.keys(this.levels.miss);
    const f = predictAtLevels(model, this.levels, horizonSteps, keys.map(Number));
    const quantiles: Record<string, number[]> = {};
    for (const key of keys) quantiles[key] = f.quantiles[key] as number[];
    return { quantiles, median: f.mean };
  }
}

/**
 * The model's forecast with each requested level replaced by its adapted level
 * (`effectiveLevel`), relabelled as the requested one; intervals still bracket the point.
 */
export function predictAtLevels(model: FittedForecaster, levels: AdaptiveLevels, horizonSteps: number, quantiles: readonly number[]): Forecast {
  validatePredictArgs(horizonSteps, { quantiles });
  const inner = unwrapCalibrated(model);
  const asked = quantiles.map((q) => effectiveLevel(levels, q));
  const f = inner.predict(horizonSteps, { quantiles: [...new Set(asked)] });
  const out: Record<string, number[]> = {};
  quantiles.forEach((q, i) => {
    const values = f.quantiles[quantileKey(asked[i] as number)] as number[];
    const offset = levelOffset(levels, q);
    out[quantileKey(q)] = values.map((v, h) => bracketPoint(q, v + offset, f.mean[h] as number));
  });
  return { ...f, quantiles: out };
}

/**
 * `next`, fitted to replace `previous` for the same series, under the calibration `previous`
 * had reached (`withCalibrationOf`); `next` as it is when either has no online calibration.
 * Across model kinds too: the levels say how the served quantiles have missed this series, and
 * they move on from there at the same rate whichever model serves.
 */
export function carryCalibration(previous: FittedForecaster | null | undefined, next: FittedForecaster): FittedForecaster {
  return previous instanceof OnlineCalibrated && next instanceof OnlineCalibrated ? next.withCalibrationOf(previous) : next;
}

/** The model under its online calibration (itself when it has none). */
export function unwrapCalibrated(model: FittedForecaster): FittedForecaster {
  return model instanceof OnlineCalibrated ? model.inner : model;
}

/** Levels carried by an artifact (`onlineCalibration`), or fresh ones. */
export function levelsOf(artifact: ModelArtifact): AdaptiveLevels {
  const raw = artifact.onlineCalibration;
  return raw && typeof raw.gamma === 'number' && raw.miss && typeof raw.miss === 'object' ? raw : initialLevels();
}

/** A forecaster whose fitted models are online-calibrated from their own intervals on. */
export class OnlineCalibratedForecaster implements Forecaster {
  readonly name: string;
  constructor(
    private readonly inner: Forecaster,
    private readonly horizonSteps: number,
  ) {
    this.name = inner.name;
  }

  minTrainLength(stepSeconds: number): number {
    return this.inner.minTrainLength(stepSeconds);
  }

  async fit(series: RegularSeries, options?: FitOptions): Promise<FittedForecaster> {
    // The model warm-started from is the one under its calibration.
    const warm = options?.warmStart instanceof OnlineCalibrated ? { ...options, warmStart: options.warmStart.inner } : options;
    return new OnlineCalibrated(await this.inner.fit(series, warm), initialLevels(TRACKED_LEVELS), this.horizonSteps, [], forecastStartMs(series));
  }
}
