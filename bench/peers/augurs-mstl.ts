import {
  type FitOptions,
  type Forecast,
  type Forecaster,
  type FittedForecaster,
  type ModelArtifact,
  type PredictOptions,
  type RegularSeries,
  InsufficientHistoryError,
} from '../../models/core/forecaster';
import { forecastStartMs, observedCount, stepsPerDay } from '../../models/core/series-stats';
import { type AugursMstlModule, augursMstl } from '../../models/mstl/augurs-module';
import { interpolateGaps } from '../../models/core/interpolate-gaps';
import { mstlPeriods } from '../../models/mstl/mstl';

/**
 * The peer: grafana/augurs MSTL with an AutoETS trend (daily and, with two weeks of data,
 * weekly periods), wrapped in Prescale's forecaster contract so that the backtest scores it
 * on exactly the same windows, used as its README shows: the whole history, the point as the
 * median, its 80% interval as the 0.1/0.9 quantiles. (Prescale's own `mstl` member,
 * models/mstl/, differs: a bounded history, Gaussian quantiles, a floor at zero.)
 */
export class AugursMstlForecaster implements Forecaster {
  readonly name = 'augurs-mstl';
  constructor(private readonly mod: AugursMstlModule = augursMstl()) {}

  minTrainLength(stepSeconds: number): number {
    return 2 * stepsPerDay(stepSeconds);
  }

  async fit(series: RegularSeries, _options?: FitOptions): Promise<FittedForecaster> {
    const n = observedCount(series.values);
    const need = this.minTrainLength(series.stepSeconds);
    if (n < need) throw new InsufficientHistoryError(this.name, need, n);
    const model = this.mod.MSTL.ets(mstlPeriods(series.values.length, stepsPerDay(series.stepSeconds)));
    model.fit(interpolateGaps(series.values));
    return new FittedAugursMstl(model, forecastStartMs(series), series.stepSeconds);
  }
}

class FittedAugursMstl implements FittedForecaster {
  readonly name = 'augurs-mstl';
  /** The backtest refits it at every origin (it cannot be conditioned), as its README uses it. */
  readonly refitCost = 'low';
  constructor(
    private readonly model: InstanceType<AugursMstlModule['MSTL']>,
    private readonly startMs: number,
    private readonly stepSeconds: number,
  ) {}

  predict(horizonSteps: number, options: PredictOptions): Forecast {
    const f = this.model.predict(horizonSteps, 0.8);
    const upper = f.intervals?.upper ?? f.point;
    const lower = f.intervals?.lower ?? f.point;
    const quantiles: Record<string, number[]> = {};
    for (const q of options.quantiles) {
      // Between the 0.1 and 0.9 bounds, interpolate linearly on the quantile level.
      quantiles[String(q)] = f.point.map((p, i) => (q >= 0.5 ? p + ((q - 0.5) / 0.4) * ((upper[i] as number) - p) : p - ((0.5 - q) / 0.4) * (p - (lower[i] as number))));
    }
    this.model.free();
    return { startMs: this.startMs, stepSeconds: this.stepSeconds, mean: f.point, quantiles, model: this.name };
  }

  toArtifact(): ModelArtifact {
    throw new Error('the augurs peer is for benchmarks only and is not serialised');
  }

  condition(): Promise<FittedForecaster> {
    // The benchmark fits once per window and predicts once (predict frees the model).
    return Promise.reject(new Error('the augurs peer is for benchmarks only and is not conditioned'));
  }
}
