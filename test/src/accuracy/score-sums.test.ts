import { ErrorAccumulator, pinball } from '../../../src/model-selection/error-metrics';
import { addPoint, emptySums, scoresOf } from '../../../src/accuracy/score-sums';

const LEVELS = [0.5, 0.9];

describe('score sums', () => {
  it('scores hand-computable points: MASE, seasonal-naive MASE, ratio, pinball and coverage', () => {
    const sums = emptySums(LEVELS.length);
    // actual 10, mean 8, p50 8, p90 12, seasonal-naive 6, scale 2
    addPoint(sums, LEVELS, { mean: 8, quantiles: [8, 12], naive: 6, scale: 2 }, 10);
    // actual 4, mean 6, p50 6, p90 7, seasonal-naive 4, scale 1
    addPoint(sums, LEVELS, { mean: 6, quantiles: [6, 7], naive: 4, scale: 1 }, 4);
    const s = scoresOf(sums, LEVELS);
    expect(s.points).toBe(2);
    // |10-8|/2 = 1 and |4-6|/1 = 2: mean 1.5
    expect(s.mase).toBeCloseTo(1.5, 12);
    // |10-6|/2 = 2 and |4-4|/1 = 0: mean 1
    expect(s.naiveMase).toBeCloseTo(1, 12);
    expect(s.maseRatio).toBeCloseTo(1.5, 12);
    // p50: 0.5*(10-8)/2 = 0.5 and 0.5*(6-4)/1 = 1 → 0.75; p90: 0.1*(12-10)/2 = 0.1 and 0.1*(7-4)/1 = 0.3 → 0.2
    expect(s.pinball['0.5']).toBeCloseTo(0.75, 12);
    expect(s.pinball['0.9']).toBeCloseTo(0.2, 12);
    // 10 ≤ 8? no; 4 ≤ 6? yes → 0.5; 10 ≤ 12 and 4 ≤ 7 → 1
    expect(s.coverage).toEqual({ '0.5': 0.5, '0.9': 1 });
  });

  it('is on the backtest scale: the same points give the same MASE, pinball and coverage as the ErrorAccumulator', () => {
    const actual = [12, 7, 30, 0, 5];
    const mean = [10, 9, 20, 1, 5];
    const p90 = [14, 11, 25, 2, 6];
    const scale = 3;
    const acc = new ErrorAccumulator(LEVELS);
    acc.add(actual, mean, { '0.5': mean, '0.9': p90 }, scale);
    const sums = emptySums(2);
    actual.forEach((y, i) => addPoint(sums, LEVELS, { mean: mean[i]!, quantiles: [mean[i]!, p90[i]!], naive: y, scale }, y));
    const backtest = acc.result();
    const live = scoresOf(sums, LEVELS);
    expect(live.mase).toBeCloseTo(backtest.mase, 12);
    expect(live.coverage).toEqual(backtest.coverage);
    // The backtest averages pinball over levels; live keeps one per level.
    expect(((live.pinball['0.5'] as number) + (live.pinball['0.9'] as number)) / 2).toBeCloseTo(backtest.pinball, 12);
    expect(pinball(10, 12, 0.9)).toBeCloseTo(0.2, 12); // the shared definition, below the forecast: (1 − q)(f − y)
  });

  it('without points every score is null; a perfect seasonal-naive against any error is an infinite ratio, both perfect a tie', () => {
    expect(scoresOf(emptySums(2), LEVELS)).toEqual({ points: 0, mase: null, naiveMase: null, maseRatio: null, coverage: { '0.5': null, '0.9': null }, pinball: { '0.5': null, '0.9': null } });
    const worse = emptySums(2);
    addPoint(worse, LEVELS, { mean: 5, quantiles: [5, 6], naive: 4, scale: 1 }, 4);
    expect(scoresOf(worse, LEVELS).maseRatio).toBe(Number.POSITIVE_INFINITY);
    const tie = emptySums(2);
    addPoint(tie, LEVELS, { mean: 4, quantiles: [4, 6], naive: 4, scale: 1 }, 4);
    expect(scoresOf(tie, LEVELS).maseRatio).toBe(1);
  });
});
