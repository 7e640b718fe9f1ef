import type { FitOptions, Forecast, Forecaster, FittedForecaster, RegularSeries } from '../../models/core/forecaster';
import { SeasonalForecaster } from '../../models/seasonal/seasonal';
import { SeasonalNaiveForecaster } from '../../models/seasonal-naive/seasonal-naive';
import { backtest, backtestOrigins } from '../../training/backtest';
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

  it('counts windows a model cannot fit as skipped instead of failing', async () => {
    const picky: Forecaster = {
      name: 'picky',
      minTrainLength: () => 1e9,
      fit: (s) => new SeasonalNaiveForecaster().fit({ ...s, values: [] }),
    };

    const result = await backtest(series, [picky], options);

    expect(result.models[0]).toMatchObject({ model: 'picky', windows: 0, skippedWindows: 4 });
  });
});
