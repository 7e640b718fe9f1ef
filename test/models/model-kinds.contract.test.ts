import { InsufficientHistoryError, type RegularSeries } from '../../models/core/forecaster';
import { MODEL_KINDS, modelKind, modelKindNames } from '../../models/model-kinds';
import { dailyPeriodicSeries, head } from '../helpers/series-fixtures';

const QUANTILES = { quantiles: [0.1, 0.5, 0.9] };
const HORIZON = 12;
/** Trained kinds (lstm, ensemble) get a tiny network and few epochs: the contract is about behaviour, not accuracy. */
const TRAINING = { backend: 'wasm', lstm: { units: 4, maxEpochs: 1, maxSamples: 100 }, ensembleHoldoutWindows: 4 } as const;

/** The same fixtures for every model kind, so a new kind is held to the same contract. */
const fixtures: Array<[string, RegularSeries]> = [
  ['ten days of 5-minute load', dailyPeriodicSeries({ days: 10 })],
  ['three days of hourly load', dailyPeriodicSeries({ days: 3, stepSeconds: 3600 })],
  ['two days of 1-minute load', dailyPeriodicSeries({ days: 2, stepSeconds: 60 })],
];

/** Each fixture, and the same series six steps (newer observations) longer. */
const newerFixtures: Array<[string, RegularSeries, RegularSeries]> = (
  [
    ['ten days of 5-minute load', 10, 300],
    ['three days of hourly load', 3, 3600],
    ['two days of 1-minute load', 2, 60],
  ] as const
).map(([label, days, stepSeconds]) => {
  const older = dailyPeriodicSeries({ days, stepSeconds });
  return [label, older, head(dailyPeriodicSeries({ days: days + 1, stepSeconds }), older.values.length + 6)];
});

describe.each(Object.keys(MODEL_KINDS))('model kind %s', (kindName) => {
  const kind = MODEL_KINDS[kindName]!;

  it.each(fixtures)('forecasts exactly the horizon, starting one step after %s', async (_label, series) => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series);

    const forecast = fitted.predict(HORIZON, QUANTILES);

    expect(forecast.mean).toHaveLength(HORIZON);
    for (const key of ['0.1', '0.5', '0.9']) expect(forecast.quantiles[key]).toHaveLength(HORIZON);
    expect(forecast.stepSeconds).toBe(series.stepSeconds);
    expect(forecast.startMs).toBe(series.startMs + series.values.length * series.stepSeconds * 1000);
    expect(forecast.model).toBe(kindName);
  });

  it.each(fixtures)('does not mutate the input of %s', async (_label, series) => {
    const before = Array.from(series.values);
    const snapshot = { ...series };

    await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series);

    expect(Array.from(series.values)).toEqual(before);
    expect(series.startMs).toBe(snapshot.startMs);
  });

  it.each(fixtures)('orders quantiles and brackets the point forecast on %s', async (_label, series) => {
    const forecast = (await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series)).predict(HORIZON, QUANTILES);

    for (let h = 0; h < HORIZON; h++) {
      const q1 = forecast.quantiles['0.1']![h]!;
      const q5 = forecast.quantiles['0.5']![h]!;
      const q9 = forecast.quantiles['0.9']![h]!;
      expect(Number.isFinite(forecast.mean[h])).toBe(true);
      expect(q1).toBeLessThanOrEqual(q5);
      expect(q5).toBeLessThanOrEqual(q9);
      expect(q9).toBeGreaterThan(q1);
      expect(forecast.mean[h]).toBeGreaterThanOrEqual(q1);
      expect(forecast.mean[h]).toBeLessThanOrEqual(q9);
    }
  });

  it('forecasts values in the range the series lives in', async () => {
    const series = fixtures[0]![1];
    const values = Array.from(series.values);
    const forecast = (await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series)).predict(HORIZON, QUANTILES);

    for (const v of forecast.mean) {
      expect(v).toBeGreaterThanOrEqual(Math.min(...values) * 0.5);
      expect(v).toBeLessThanOrEqual(Math.max(...values) * 1.5);
    }
  });

  it('refuses too-short input with INSUFFICIENT_HISTORY naming required and actual counts', async () => {
    const forecaster = kind.create({ horizonSteps: HORIZON, training: TRAINING });
    const required = forecaster.minTrainLength(300);
    // As many steps as required, but only one of them observed.
    const values = Array.from({ length: required }, (_, i) => (i === 0 ? 5 : Number.NaN));

    const fit = forecaster.fit({ startMs: 0, stepSeconds: 300, values, timezone: 'UTC' });

    await expect(fit).rejects.toBeInstanceOf(InsufficientHistoryError);
    await expect(fit).rejects.toMatchObject({ code: 'INSUFFICIENT_HISTORY', required, actual: 1, model: kindName });
  });

  it('rejects a non-positive horizon and quantiles outside (0, 1)', async () => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(fixtures[1]![1]);

    expect(() => fitted.predict(0, QUANTILES)).toThrow(RangeError);
    expect(() => fitted.predict(3, { quantiles: [1] })).toThrow(RangeError);
    expect(() => fitted.predict(3, { quantiles: [0] })).toThrow(RangeError);
  });

  it.each(newerFixtures)('is conditioned on newer data of %s: forecasts from its end, leaves the model and the input unchanged', async (_label, older, series) => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(older);
    const before = fitted.predict(HORIZON, QUANTILES);
    const newer = Array.from(series.values);

    const moved = await fitted.condition(series);
    const again = await fitted.condition(older);

    const forecast = moved.predict(HORIZON, QUANTILES);
    expect(forecast.startMs).toBe(series.startMs + series.values.length * series.stepSeconds * 1000);
    expect(forecast.mean).toHaveLength(HORIZON);
    expect(forecast.model).toBe(kindName);
    expect(moved.name).toBe(kindName);
    expect(Array.from(series.values)).toEqual(newer);
    expect(fitted.predict(HORIZON, QUANTILES)).toEqual(before);
    // Conditioned on the series it was fitted on, it forecasts what it forecast after the fit.
    const same = again.predict(HORIZON, QUANTILES);
    expect(same.startMs).toBe(before.startMs);
    same.mean.forEach((m, h) => expect(m).toBeCloseTo(before.mean[h]!, 6));
  });

  it.each(newerFixtures)('is conditioned again and again on %s and then forecasts past its fitted horizon', async (_label, older, series) => {
    const later = dailyPeriodicSeries({ days: Math.round((older.values.length * older.stepSeconds) / 86_400) + 1, stepSeconds: older.stepSeconds });
    let fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(older);
    const day = Math.round(86_400 / series.stepSeconds);

    // A replay: the origin moves one horizon at a time, further than any reuse slack, and each
    // plan asks for more than the fitted horizon (a day ahead).
    for (let k = 1; k <= 3; k++) {
      const newer = head(later, older.values.length + k * HORIZON);
      fitted = await fitted.condition(newer);
      const forecast = fitted.predict(day, QUANTILES);

      expect(forecast.startMs).toBe(newer.startMs + newer.values.length * newer.stepSeconds * 1000);
      expect(forecast.mean).toHaveLength(day);
      expect(forecast.mean.every(Number.isFinite)).toBe(true);
      forecast.mean.forEach((m, h) => {
        expect(forecast.quantiles['0.1']![h]!).toBeLessThanOrEqual(m + 1e-9);
        expect(forecast.quantiles['0.9']![h]!).toBeGreaterThanOrEqual(m - 1e-9);
      });
    }
  });

  it('states the refit cost its fitted models have, before any fit (the replay chooses where to fit by it)', async () => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(fixtures[1]![1]);

    expect(fitted.refitCost).toBe(kind.refitCost);
  });

  it('refuses to be conditioned on a series on another step', async () => {
    const series = fixtures[1]![1];
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series);

    await expect(fitted.condition({ ...series, stepSeconds: series.stepSeconds / 2 })).rejects.toThrow(RangeError);
  });

  it('writes the artifact format its kind reads, and reports typed training info', async () => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(fixtures[1]![1]);

    expect(fitted.toArtifact().formatVersion).toBe(kind.formatVersion);
    expect(['low', 'high']).toContain(fitted.refitCost);
    const info = fitted.trainingInfo?.();
    if (info) expect(info.backend === null || typeof info.backend === 'string').toBe(true);
  });

  it.each(fixtures)('predicts the same after a JSON round trip of its artifact (%s)', async (_label, series) => {
    const fitted = await kind.create({ horizonSteps: HORIZON, training: TRAINING }).fit(series);
    const artifact = JSON.parse(JSON.stringify(fitted.toArtifact())) as ReturnType<typeof fitted.toArtifact>;

    const restored = kind.fromArtifact(artifact);

    expect(artifact.kind).toBe(kindName);
    expect(restored.predict(HORIZON, QUANTILES)).toEqual(fitted.predict(HORIZON, QUANTILES));
  });
});

describe('model kind table', () => {
  it('lists the kinds sorted by name', () => {
    expect(modelKindNames()).toEqual(['ensemble', 'lstm', 'mstl', 'seasonal', 'seasonal-naive']);
  });

  it('names the known kinds when asked for an unknown one', () => {
    expect(() => modelKind('prophet')).toThrow(/unknown model "prophet" \(known: ensemble, lstm, mstl, seasonal, seasonal-naive\)/);
  });
});
