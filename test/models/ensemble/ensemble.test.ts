import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { calibrateHorizons, calibratedOffset } from '../../../models/core/horizon-calibration';
import { EnsembleForecaster, FittedEnsemble } from '../../../models/ensemble/ensemble';
import { holdoutOrigins } from '../../../models/ensemble/ensemble-holdout';
import { combinationWeights, simplexGrid } from '../../../models/ensemble/ensemble-weights';
import { modelKind } from '../../../models/model-kinds';
import { SeasonalForecaster } from '../../../models/seasonal/seasonal';
import { SeasonalNaiveForecaster } from '../../../models/seasonal-naive/seasonal-naive';
import { syntheticLoad } from '../../helpers/synthetic-series';

describe('combinationWeights', () => {
  const actuals = [
    [10, 10],
    [20, 20],
    [30, 30],
  ];
  // Held-out forecasts of two members: one close to the actuals, one far off.
  const good = [
    [10.5, 9.5],
    [20.5, 19.5],
    [29, 31],
  ];
  const bad = [
    [15, 5],
    [25, 12],
    [40, 22],
  ];

  it('gives most weight to the member with the smaller held-out error, summing to 1 per step', () => {
    const weights = combinationWeights([good, bad], actuals, [1, 1, 1]);

    expect(weights).toHaveLength(2);
    for (const w of weights) {
      expect(w[0]! + w[1]!).toBeCloseTo(1, 10);
      expect(w[0]!).toBeGreaterThan(0.8);
    }
  });

  it('moves the prior share to the prior member and keeps the weights convex', () => {
    const free = combinationWeights([good, bad], actuals, [1, 1, 1]);
    const shrunk = combinationWeights([good, bad], actuals, [1, 1, 1], { member: 1, share: 0.3 });

    shrunk.forEach((w, h) => {
      expect(w[0]! + w[1]!).toBeCloseTo(1, 10);
      expect(w[1]!).toBeCloseTo(0.7 * free[h]![1]! + 0.3, 10);
      expect(w[0]!).toBeCloseTo(0.7 * free[h]![0]!, 10);
    });
  });

  it('enumerates the weight simplex', () => {
    expect(simplexGrid(2, 0.5)).toEqual([
      [0, 1],
      [0.5, 0.5],
      [1, 0],
    ]);
    expect(simplexGrid(3, 0.05)).toHaveLength(231);
  });
});

describe('calibrateHorizons (split conformal per horizon step)', () => {
  it('covers about 90% of fresh residuals with its p90, and widens with the horizon', () => {
    let s = 3;
    const normal = (): number => {
      s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
      const u = (s + 1) / 4_294_967_297;
      s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
      const v = (s + 1) / 4_294_967_297;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    const draw = (n: number): number[][] => [1, 2, 3, 4].map((h) => Array.from({ length: n }, () => normal() * h));
    const cal = calibrateHorizons(draw(60));
    const fresh = draw(2000);

    const covered = fresh.map((r, h) => r.filter((e) => e <= calibratedOffset(cal, h + 1, 0.9)).length / r.length);

    for (const c of covered) expect(c).toBeGreaterThan(0.84);
    for (const c of covered) expect(c).toBeLessThan(0.96);
    expect(calibratedOffset(cal, 4, 0.9)).toBeGreaterThan(calibratedOffset(cal, 1, 0.9));
  });
});

describe('EnsembleForecaster', () => {
  const series = syntheticLoad({ days: 12, stepSeconds: 1800 });
  const horizonSteps = 4;
  const cheap = (): EnsembleForecaster =>
    new EnsembleForecaster({ horizonSteps, members: [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps })], holdoutWindows: 12 });

  it('holds out origins at the end of the history, oldest first', () => {
    const origins = holdoutOrigins(1000, 4, 12, 48);

    expect(origins).toHaveLength(12);
    expect(origins[11]).toBe(996);
    expect([...origins].sort((a, b) => a - b)).toEqual(origins);
  });

  it('forecasts with weights from held-out errors and ordered, calibrated quantiles', async () => {
    const fitted = (await cheap().fit(series)) as FittedEnsemble;

    const f = fitted.predict(horizonSteps, { quantiles: [0.1, 0.5, 0.9] });

    expect(f.model).toBe('ensemble');
    expect(f.mean).toHaveLength(horizonSteps);
    for (let h = 0; h < horizonSteps; h++) {
      expect(f.quantiles['0.1']![h]!).toBeLessThanOrEqual(f.quantiles['0.5']![h]!);
      expect(f.quantiles['0.5']![h]!).toBeLessThanOrEqual(f.quantiles['0.9']![h]!);
    }
    expect(Object.keys(fitted.holdout).sort()).toEqual(['ensemble', 'seasonal', 'seasonal-naive']);
    const weights = (fitted.toArtifact().state as { weights: number[][] }).weights;
    for (const w of weights) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('shrinks toward the prior member named in its options, and ignores a prior that is not a member', async () => {
    const members = () => [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps })];
    const allPrior = new EnsembleForecaster({ horizonSteps, members: members(), holdoutWindows: 12, prior: { member: 'seasonal-naive', share: 1 } });
    const absentPrior = new EnsembleForecaster({ horizonSteps, members: members(), holdoutWindows: 12, prior: { member: 'lstm', share: 1 } });

    const weightsOf = async (e: EnsembleForecaster) => ((await e.fit(series)).toArtifact().state as { weights: number[][] }).weights;

    for (const w of await weightsOf(allPrior)) expect(w).toEqual([1, 0]);
    expect(await weightsOf(absentPrior)).toEqual(await weightsOf(cheap()));
  });

  it('round-trips through its artifact and can be conditioned on newer data', async () => {
    const fitted = await cheap().fit(series);
    const kind = modelKind('ensemble');

    const again = kind.fromArtifact(fitted.toArtifact());
    const longer = syntheticLoad({ days: 13, stepSeconds: 1800 });
    const moved = await again.condition!(longer);

    expect(again.predict(horizonSteps, { quantiles: [0.5, 0.9] })).toEqual(fitted.predict(horizonSteps, { quantiles: [0.5, 0.9] }));
    expect(moved.predict(horizonSteps, { quantiles: [0.5] }).startMs).toBe(longer.startMs + longer.values.length * 1_800_000);
  });

  describe('conditioning', () => {
    const long = syntheticLoad({ days: 13, stepSeconds: 1800 });
    const prefix = (steps: number) => ({ ...long, values: Array.from(long.values).slice(0, steps) });
    const n = series.values.length;

    it('leaves a member without weight as it is, and forecasts from the members in use alone', async () => {
      // On this series seasonal-naive clearly beats the seasonal prior on the held-out windows, so it serves alone.
      const fitted = (await cheap().fit(prefix(n))) as FittedEnsemble;
      expect(fitted.chosen).toBe('seasonal-naive');
      const unused = fitted.member('seasonal');

      const moved = (await fitted.condition(prefix(n + 3))) as FittedEnsemble;

      expect(moved.member('seasonal')).toBe(unused);
      expect(moved.member('seasonal-naive')).not.toBe(fitted.member('seasonal-naive'));
      expect(moved.predict(horizonSteps, { quantiles: [0.5] }).mean).toEqual(moved.member('seasonal-naive')!.predict(horizonSteps, { quantiles: [0.5] }).mean);
    });

    it('conditions a cheap member within the hour after its refit, and refits it once the hour has passed', async () => {
      const fitted = (await new EnsembleForecaster({ horizonSteps, members: [new SeasonalForecaster({ horizonSteps })], holdoutWindows: 12 }).fit(prefix(n))) as FittedEnsemble;
      const q = { quantiles: [0.5, 0.9] };

      // Steps of 30 min: one step on is conditioned, two steps (an hour) on is refitted.
      const halfHour = (await fitted.condition(prefix(n + 1))) as FittedEnsemble;
      const hour = (await halfHour.condition(prefix(n + 2))) as FittedEnsemble;

      const conditioned = await fitted.member('seasonal')!.condition(prefix(n + 1));
      const refitted = await new SeasonalForecaster({ horizonSteps }).fit(prefix(n + 2));
      expect(halfHour.member('seasonal')!.predict(horizonSteps, q)).toEqual(conditioned.predict(horizonSteps, q));
      expect(hour.member('seasonal')!.predict(horizonSteps, q)).toEqual(refitted.predict(horizonSteps, q));
      // The two differ, so the assertions tell a refit from a conditioning.
      const conditionedAtHour = await conditioned.condition(prefix(n + 2));
      expect(conditionedAtHour.predict(horizonSteps, q)).not.toEqual(refitted.predict(horizonSteps, q));
    });
  });

  it('reports its calibration through trainingInfo, and no backend when no member trained a network', async () => {
    const fitted = await cheap().fit(series);

    const info = fitted.trainingInfo!();

    expect(info.backend).toBeNull();
    expect(info.calibration).toEqual((fitted.toArtifact().state as { calibration: unknown }).calibration);
    expect(info.calibration!.scales).toHaveLength(horizonSteps);
  });

  it('throws INSUFFICIENT_HISTORY when there is too little history to hold out', async () => {
    await expect(cheap().fit(syntheticLoad({ days: 1, stepSeconds: 1800 }))).rejects.toBeInstanceOf(InsufficientHistoryError);
  });
});
