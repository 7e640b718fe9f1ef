import { type RollingOriginsSpec, rollingOrigins, spreadStride } from '../../../models/core/rolling-origins';
import { holdoutOrigins } from '../../../models/ensemble/ensemble-holdout';
import { backtestOrigins } from '../../../training/backtest';
import { heldOutOrigins } from '../../../src/model-selection/holdout-evaluation';

describe('rollingOrigins', () => {
  it.each<[string, RollingOriginsSpec, number[]]>([
    ['end-anchored: the newest window ends at the last value, oldest first', { length: 100, horizonSteps: 4, strideSteps: 10, count: 3 }, [76, 86, 96]],
    ['end-anchored: stops at the minimum training length', { length: 100, horizonSteps: 4, strideSteps: 10, count: 5, minTrainSteps: 80 }, [86, 96]],
    ['end-anchored: an origin exactly at the minimum is kept', { length: 100, horizonSteps: 4, strideSteps: 10, minTrainSteps: 86 }, [86, 96]],
    ['end-anchored: without a count, as many as fit', { length: 20, horizonSteps: 5, strideSteps: 5 }, [0, 5, 10, 15]],
    ['end-anchored: none when training + horizon exceed the series', { length: 50, horizonSteps: 4, strideSteps: 1, count: 3, minTrainSteps: 50 }, []],
    ['end-anchored: count 0 gives none', { length: 100, horizonSteps: 4, strideSteps: 10, count: 0 }, []],
    ['start-anchored: steps forward from the minimum while the window fits', { length: 100, horizonSteps: 4, strideSteps: 10, minTrainSteps: 70, anchor: 'start' }, [70, 80, 90]],
    ['start-anchored: the last window may end exactly at the end', { length: 100, horizonSteps: 10, strideSteps: 10, minTrainSteps: 70, anchor: 'start' }, [70, 80, 90]],
    ['start-anchored: honours the count', { length: 100, horizonSteps: 4, strideSteps: 10, minTrainSteps: 70, count: 2, anchor: 'start' }, [70, 80]],
    ['empty series', { length: 0, horizonSteps: 1, strideSteps: 1 }, []],
  ])('%s', (_label, spec, expected) => {
    expect(rollingOrigins(spec)).toEqual(expected);
  });

  it.each<[string, Partial<RollingOriginsSpec>]>([
    ['a zero horizon', { horizonSteps: 0 }],
    ['a fractional stride', { strideSteps: 1.5 }],
    ['a zero stride', { strideSteps: 0 }],
  ])('refuses %s', (_label, bad) => {
    expect(() => rollingOrigins({ length: 10, horizonSteps: 1, strideSteps: 1, ...bad })).toThrow(RangeError);
  });

  it.each<[number, number, number, number]>([
    [96, 24, 1, 4],
    [10, 24, 1, 1],
    [96, 24, 12, 12],
    [100, 0, 1, 100],
  ])('spreadStride(%i, %i, %i) = %i', (span, count, min, expected) => {
    expect(spreadStride(span, count, min)).toBe(expected);
  });
});

/**
 * The three callers give the origins they gave before they shared the arithmetic: these are
 * the former implementations, kept here as the reference.
 */
describe('the callers of rollingOrigins match their former arithmetic', () => {
  const formerEnsemble = (n: number, horizon: number, windows: number, day: number): number[] => {
    const span = Math.min(2 * day, Math.floor(n / 4));
    const stride = Math.max(1, Math.floor(span / windows));
    const origins: number[] = [];
    for (let k = windows - 1; k >= 0; k--) origins.push(n - horizon - k * stride);
    return origins;
  };
  const formerHeldOut = (length: number, h: number, holdout: number): number[] => {
    const stride = Math.max(h, Math.floor(holdout / 24));
    const origins: number[] = [];
    for (let o = length - holdout; o + h <= length; o += stride) origins.push(o);
    return origins;
  };
  const formerBacktest = (length: number, stepSeconds: number, o: { horizonSteps: number; windows?: number; strideSteps?: number; minTrainSteps?: number }): number[] => {
    const h = o.horizonSteps;
    const windows = o.windows ?? 24;
    const day = Math.round(86_400 / stepSeconds);
    const minTrain = o.minTrainSteps ?? Math.min(2 * day, Math.floor(length / 2));
    const stride = o.strideSteps ?? Math.max(h, Math.floor(Math.min(7 * day, length - minTrain - h) / windows));
    const origins: number[] = [];
    for (let k = 0; k < windows; k++) {
      const origin = length - h - k * stride;
      if (origin < minTrain) break;
      origins.push(origin);
    }
    return origins.reverse();
  };

  it.each([
    [1000, 4, 12, 48],
    [576, 12, 24, 288],
    [2000, 60, 24, 1440],
    [120, 3, 4, 24],
    [5000, 1, 7, 24],
  ])('ensemble held-out origins (n %i, horizon %i, windows %i, day %i)', (n, h, w, day) => {
    expect(holdoutOrigins(n, h, w, day)).toEqual(formerEnsemble(n, h, w, day));
  });

  it.each([
    [480, 3, 24],
    [480, 3, 120],
    [20_160, 60, 1440],
    [1000, 7, 250],
    [100, 25, 25],
  ])('promotion-gate held-out origins (length %i, horizon %i, held out %i)', (length, h, holdout) => {
    expect(heldOutOrigins(length, h, holdout)).toEqual(formerHeldOut(length, h, holdout));
  });

  it.each<[number, number, { horizonSteps: number; windows?: number; strideSteps?: number; minTrainSteps?: number }]>([
    [2880, 300, { horizonSteps: 12 }],
    [480, 900, { horizonSteps: 8, windows: 4, strideSteps: 8 }],
    [100, 3600, { horizonSteps: 4, windows: 5, strideSteps: 10, minTrainSteps: 80 }],
    [20_160, 60, { horizonSteps: 60, windows: 10 }],
    [60, 3600, { horizonSteps: 4 }],
  ])('backtest origins (length %i, step %is, %o)', (length, step, options) => {
    expect(backtestOrigins(length, step, options)).toEqual(formerBacktest(length, step, options));
  });
});
