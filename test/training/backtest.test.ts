import type { FitOptions, Forecast, Forecaster, FittedForecaster, RegularSeries } from '../../models/core/forecaster';
import { SeasonalForecaster } from '../../models/seasonal/seasonal';
import { SeasonalNaiveForecaster } from '../../models/seasonal-naive/seasonal-naive';
import { backtest, backtestOrigins, warmupOrigins } from '../../training/backtest';
import { dailyPeriodicSeries } from '../helpers/series-fixtures';

/** Wraps a real forecaster and records what each fit saw and predicted (a spy, not a stand-in). */
class RecordingForecaster implements Forecaster {
  readonly fits: Array<{ trainLength: number; lastTrainValue: number; forecast: Forecast }> = [];
  constructor(private readonly inner: Forecaster) {}
  get name(): string {
    return this.inner.name;
  }
  minTrainLength(stepSeconds: number): number {
    return this.inner.minTrainLength(stepSeconds);
  }
  async fit(series: RegularSeries, options?: FitOptions): Promise<FittedForecaster> {
    const fitted = await this.inner.fit(series, options);
    const record = { trainLength: series.values.length, lastTrainValue: series.values[series.values.length - 1] as number };
    const fits = this.fits;
    return {
      name: fitted.name,
      refitCost: fitted.refitCost,
      condition: (newer) => fitted.condition(newer),
      toArtifact: () => fitted.toArtifact(),
      predict(h, o) {
        const forecast = fitted.predict(h, o);
        fits.push({ ...record, forecast });
        return forecast;
      },
    };
  }
}

describe('backtest origins', () => {
  it.each<[string, Parameters<typeof backtestOrigins>, number[]]>([
    ['explicit stride, oldest first, last window ends at the end', [100, 3600, { horizonSteps: 4, windows: 3, strideSteps: 10, minTrainSteps: 50 }], [76, 86, 96]],
    ['stops at the minimum training length', [100, 3600, { horizonSteps: 4, windows: 5, strideSteps: 10, minTrainSteps: 80 }], [86, 96]],
    ['no origin when the series is shorter than training + horizon', [50, 3600, { horizonSteps: 4, windows: 3, minTrainSteps: 50 }], []],
  ])('%s', (_label, args, expected) => {
    expect(backtestOrigins(...args)).toEqual(expected);
  });

  it('spreads default origins at least one horizon apart, each after two days of training', () => {
    const origins = backtestOrigins(10 * 288, 300, { horizonSteps: 12, windows: 24 });

    expect(origins).toHaveLength(24);
    expect(origins[origins.length - 1]).toBe(10 * 288 - 12);
    for (let i = 1; i < origins.length; i++) expect(origins[i]! - origins[i - 1]!).toBeGreaterThanOrEqual(12);
    expect(origins[0]).toBeGreaterThanOrEqual(2 * 288);
  });
});

describe('rolling-origin backtest', () => {
  const series = dailyPeriodicSeries({ days: 5, stepSeconds: 900 });
  const options = { horizonSteps: 8, windows: 4, strideSteps: 8 };

  it('fits every model only on the values before each origin', async () => {
    const spy = new RecordingForecaster(new SeasonalForecaster({ horizonSteps: 8 }));

    const result = await backtest(series, [spy], options);

    expect(spy.fits.map((f) => f.trainLength)).toEqual(result.origins);
    for (const [w, origin] of result.origins.entries()) expect(spy.fits[w]!.lastTrainValue).toBe(series.values[origin - 1]);
  });

  it('has no look-ahead: corrupting values after an origin leaves that window forecast unchanged', async () => {
    const clean = new RecordingForecaster(new SeasonalForecaster({ horizonSteps: 8 }));
    const corrupted = new RecordingForecaster(new SeasonalForecaster({ horizonSteps: 8 }));
    const origins = backtestOrigins(series.values.length, series.stepSeconds, options);
    const firstOrigin = origins[0]!;
    const values = Array.from(series.values);
    for (let i = firstOrigin; i < values.length; i++) values[i] = values[i]! * 1000 + 12345;

    const cleanResult = await backtest(series, [clean], options);
    const corruptedResult = await backtest({ ...series, values }, [corrupted], options);

    expect(corrupted.fits[0]!.forecast).toEqual(clean.fits[0]!.forecast);
    // Later windows do see the corrupted history, and the scores do change: the check can fail.
    expect(corrupted.fits[1]!.forecast).not.toEqual(clean.fits[1]!.forecast);
    expect(corruptedResult.models[0]!.mase).not.toBeCloseTo(cleanResult.models[0]!.mase, 3);
  });

  it('scores every model on the same windows and reports the fields the CLI prints', async () => {
    const result = await backtest(series, [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps: 8 })], options);

    expect(result.origins).toHaveLength(4);
    expect(result.models.map((m) => m.model)).toEqual(['seasonal-naive', 'seasonal']);
    for (const m of result.models) {
      expect(m.windows).toBe(4);
      expect(m.skippedWindows).toBe(0);
      expect(m.mase).toBeGreaterThan(0);
      expect(m.smape).toBeGreaterThan(0);
      expect(m.pinball).toBeGreaterThan(0);
      expect(Object.keys(m.coverage).sort()).toEqual(['0.5', '0.9']);
      expect(m.coverage['0.9']).toBeGreaterThanOrEqual(m.coverage['0.5']!);
    }
  });

  it('keeps each model’s error per scored window, in the order of the origins, averaging to its MASE', async () => {
    const result = await backtest(series, [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps: 8 })], options);

    expect(result.windowErrors).toHaveLength(2);
    result.models.forEach((m, i) => {
      const errors = result.windowErrors[i]!;
      expect(errors).toHaveLength(result.origins.length);
      for (const e of errors) expect(e).toBeGreaterThanOrEqual(0);
      // Every window has all 8 steps, so the mean of the window means is the pooled MASE.
      expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeCloseTo(m.mase, 12);
    });
    // Two different models, window by window.
    expect(result.windowErrors[0]).not.toEqual(result.windowErrors[1]);
  });

  it('counts windows a model cannot fit as skipped instead of failing', async () => {
    const picky: Forecaster = {
      name: 'picky',
      minTrainLength: () => 1e9,
      fit: (s) => new SeasonalNaiveForecaster().fit({ ...s, values: [] }),
    };

    const result = await backtest(series, [picky], options);

    expect(result.models[0]).toMatchObject({ model: 'picky', windows: 0, skippedWindows: 4 });
    expect(result.windowErrors[0]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  });
});

describe('calibration warm-up origins', () => {
  it('steps back from the first scored origin at its stride, never below the training minimum, oldest first', () => {
    expect(warmupOrigins([100, 107, 114], 3, 1, 0)).toEqual([79, 86, 93]);
    expect(warmupOrigins([100, 107, 114], 5, 1, 85)).toEqual([86, 93]);
    // One scored origin: the stride is one horizon.
    expect(warmupOrigins([100], 2, 8, 0)).toEqual([84, 92]);
    expect(warmupOrigins([100, 107], 0, 1, 0)).toEqual([]);
    expect(warmupOrigins([], 3, 1, 0)).toEqual([]);
  });
});

/** A real model with its intervals made four times as wide around the mean: a model whose own q0.9 covers nearly everything. */
class WideForecaster implements Forecaster {
  readonly fitLengths: number[] = [];
  readonly name = 'wide';
  private readonly inner: Forecaster = new SeasonalNaiveForecaster();
  minTrainLength(stepSeconds: number): number {
    return this.inner.minTrainLength(stepSeconds);
  }
  async fit(series: RegularSeries, options?: FitOptions): Promise<FittedForecaster> {
    this.fitLengths.push(series.values.length);
    const fitted = await this.inner.fit(series, options);
    return {
      name: 'wide',
      refitCost: fitted.refitCost,
      condition: (newer) => fitted.condition(newer),
      toArtifact: () => fitted.toArtifact(),
      predict(h, o) {
        const f = fitted.predict(h, o);
        const quantiles: Record<string, number[]> = {};
        for (const [k, v] of Object.entries(f.quantiles)) quantiles[k] = v.map((x, i) => f.mean[i]! + 4 * (x - f.mean[i]!));
        return { ...f, quantiles };
      },
    };
  }
}

describe('rolling-origin backtest with a calibration warm-up', () => {
  // Hourly, 1-step windows: the case the warm-up is for (each origin scores one value).
  const series = dailyPeriodicSeries({ days: 20, stepSeconds: 3600, noise: 0.1, seed: 3 });
  const base = { horizonSteps: 1, windows: 24 };

  it('scores the same origins, and fits the calibrated model at the warm-up origins too but never the excluded peer', async () => {
    const cold = await backtest(series, [new SeasonalNaiveForecaster()], { ...base, onlineCalibration: {} });
    const calibrated = new WideForecaster();
    const peer = new RecordingForecaster(new SeasonalNaiveForecaster());
    const warm = await backtest(series, [calibrated, peer], { ...base, onlineCalibration: { exclude: [peer.name], warmupWindows: 24 } });

    expect(warm.origins).toEqual(cold.origins);
    expect(warm.models.map((m) => m.windows)).toEqual([24, 24]);
    const warmup = warmupOrigins(warm.origins, 24, 1, 48);
    expect(warmup).toHaveLength(24);
    expect(calibrated.fitLengths).toEqual([...warmup, ...warm.origins]);
    expect(peer.fits.map((f) => f.trainLength)).toEqual(warm.origins);
  });

  it('fits the scored windows exactly as without a warm-up, so point scores are unchanged (a model refitted every 5 windows)', async () => {
    const run = async (warmupWindows: number) => {
      const fitLengths: number[] = [];
      // The seasonal model, declared costly to refit so that the backtest conditions it between refits.
      const inner: Forecaster = new SeasonalForecaster({ horizonSteps: 1 });
      const costly: Forecaster = {
        name: 'costly-seasonal',
        minTrainLength: (step) => inner.minTrainLength(step),
        fit: async (s, o) => {
          fitLengths.push(s.values.length);
          return Object.assign(Object.create(await inner.fit(s, o)) as FittedForecaster, { refitCost: 'high' as const });
        },
      };
      const r = await backtest(series, [costly], { ...base, refitEvery: 5, onlineCalibration: { warmupWindows } });
      return { r, fitLengths };
    };
    const cold = await run(0);
    // 7 warm-up windows: not a multiple of the refit period, so a schedule counted from the warm-up would refit elsewhere.
    const warm = await run(7);
    expect(cold.fitLengths).toEqual([0, 5, 10, 15, 20].map((w) => cold.r.origins[w]));
    expect(warm.fitLengths).toHaveLength(2 + 5);
    expect(warm.fitLengths.slice(2)).toEqual(cold.fitLengths);
    expect(warm.r.models[0]!.mase).toBe(cold.r.models[0]!.mase);
    expect(warm.r.models[0]!.smape).toBe(cold.r.models[0]!.smape);
    // The warm-up's windows are not scored, so they are not among the window errors either.
    expect(warm.r.windowErrors).toEqual(cold.r.windowErrors);
    expect(warm.r.windowErrors[0]).toHaveLength(warm.r.origins.length);
  });

  it('scores levels that have learned: a model with too-wide intervals covers closer to its target after the warm-up', async () => {
    const coverage = async (warmupWindows: number) => {
      const result = await backtest(series, [new WideForecaster()], { ...base, onlineCalibration: { warmupWindows } });
      return result.models[0]!.coverage['0.9']!;
    };
    const cold = await coverage(0);
    const warm = await coverage(120);
    // Four times too wide: scored from the target level, q0.9 covers (nearly) every window.
    expect(cold).toBeGreaterThan(0.95);
    expect(Math.abs(warm - 0.9)).toBeLessThan(Math.abs(cold - 0.9));
  });
});
