import { seasonalNaiveScale } from '../../../models/core/series-stats';
import { ErrorAccumulator, pinball } from '../../../src/model-selection/error-metrics';

describe('seasonal-naive scale (the MASE denominator)', () => {
  it.each<[string, number[], number, number]>([
    ['period 1: mean absolute one-step change', [1, 2, 4, 7], 1, 2],
    ['period 2: mean absolute change against two steps back', [1, 2, 4, 7], 2, 4],
    ['missing values are skipped', [1, Number.NaN, 4, 7], 1, 3],
    ['a constant series has scale 0', [5, 5, 5], 1, 0],
  ])('%s', (_label, train, period, expected) => {
    expect(seasonalNaiveScale(train, period)).toBeCloseTo(expected, 12);
  });

  it('is NaN when the series is not longer than the period', () => {
    expect(seasonalNaiveScale([1, 2], 2)).toBeNaN();
  });
});

describe('pinball loss', () => {
  it.each([
    [10, 8, 0.9, 1.8], // under-forecast at a high quantile is expensive
    [8, 10, 0.9, 0.2], // over-forecast at a high quantile is cheap
    [10, 8, 0.5, 1],
    [10, 10, 0.9, 0],
  ])('actual %d, forecast %d at level %d costs %d', (y, f, q, expected) => {
    expect(pinball(y, f, q)).toBeCloseTo(expected, 12);
  });
});

describe('error accumulator', () => {
  it('computes MASE, sMAPE, scaled pinball and coverage on a hand-checked window', () => {
    const acc = new ErrorAccumulator([0.5, 0.9]);

    acc.add([10, 20], [12, 20], { '0.5': [9, 20], '0.9': [15, 25] }, 2);
    const r = acc.result();

    // |10-12|/2 = 1 and 0 → 0.5.
    expect(r.mase).toBeCloseTo(0.5, 12);
    // 2·2/(10+12) and 0, averaged, in percent.
    expect(r.smape).toBeCloseTo((100 * (4 / 22)) / 2, 10);
    // q0.5: 0.5·|10-9| = 0.5, 0; q0.9: 0.1·5 = 0.5 twice → 1.5 / scale 2 / 4 terms.
    expect(r.pinball).toBeCloseTo(0.1875, 12);
    // 10 ≤ 9 no, 20 ≤ 20 yes; both under the p90.
    expect(r.coverage).toEqual({ '0.5': 0.5, '0.9': 1 });
    expect(r.points).toBe(2);
  });

  it('skips missing actuals and weighs windows by their points', () => {
    const acc = new ErrorAccumulator([0.5]);

    acc.add([Number.NaN, 4], [100, 2], { '0.5': [100, 2] }, 1);
    acc.add([6], [6], { '0.5': [6] }, 1);
    const r = acc.result();

    expect(r.points).toBe(2);
    expect(r.mase).toBeCloseTo(1, 12); // (2 + 0) / 2
  });

  it('counts an exact zero forecast of a zero actual as no sMAPE error', () => {
    const acc = new ErrorAccumulator([0.5]);

    acc.add([0], [0], { '0.5': [0] }, 1);

    expect(acc.result().smape).toBe(0);
  });

  it('reports NaN, not zero, when nothing was scored', () => {
    const r = new ErrorAccumulator([0.9]).result();

    expect(r.mase).toBeNaN();
    expect(r.coverage['0.9']).toBeNaN();
  });
});
