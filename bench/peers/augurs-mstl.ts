import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

type MstlModule = typeof import('@bsull/augurs/mstl', { with: { 'resolution-mode': 'import' } });

let mstlModule: MstlModule | null = null;

/** Loads the augurs MSTL WebAssembly module once (ESM-only package, so a dynamic import). */
export async function loadAugursMstl(): Promise<MstlModule> {
  if (mstlModule) return mstlModule;
  const mod = await import('@bsull/augurs/mstl');
  // The package exports no package.json; its wasm sits beside the resolved entry file.
  const wasm = readFileSync(join(dirname(require.resolve('@bsull/augurs/mstl')), 'mstl_bg.wasm'));
  mod.initSync({ module: wasm });
  mstlModule = mod;
  return mod;
}

/**
 * The peer: grafana/augurs MSTL with an AutoETS trend (daily and, with two weeks of data,
 * weekly periods), wrapped in Prescale's forecaster contract so that the backtest scores it
 * on exactly the same windows. Its 80% interval gives the 0.1/0.9 quantiles; the point is
 * used as the median. Gaps are filled by linear interpolation first, as MSTL needs a full grid.
 */
export class AugursMstlForecaster implements Forecaster {
  readonly name = 'augurs-mstl';
  constructor(private readonly mod: MstlModule) {}

  minTrainLength(stepSeconds: number): number {
    return 2 * stepsPerDay(stepSeconds);
  }

  async fit(series: RegularSeries, _options?: FitOptions): Promise<FittedForecaster> {
    const n = observedCount(series.values);
    const need = this.minTrainLength(series.stepSeconds);
    if (n < need) throw new InsufficientHistoryError(this.name, need, n);
    const day = stepsPerDay(series.stepSeconds);
    const periods = series.values.length >= 2 * 7 * day ? [day, 7 * day] : [day];
    const model = this.mod.MSTL.ets(periods.filter((p) => p > 1));
    model.fit(interpolate(series.values));
    return new FittedAugursMstl(model, forecastStartMs(series), series.stepSeconds);
  }
}

class FittedAugursMstl implements FittedForecaster {
  readonly name = 'augurs-mstl';
  constructor(
    private readonly model: InstanceType<MstlModule['MSTL']>,
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
}

function interpolate(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) continue;
    if (prev === -1) out.fill(out[i] as number, 0, i);
    else if (i - prev > 1) for (let k = prev + 1; k < i; k++) out[k] = (out[prev] as number) + (((out[i] as number) - (out[prev] as number)) * (k - prev)) / (i - prev);
    prev = i;
  }
  if (prev >= 0) out.fill(out[prev] as number, prev + 1);
  return out;
}
