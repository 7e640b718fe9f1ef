import { dieboldMariano, dieboldMarianoOf, neweyWestLag } from '../../training/diebold-mariano';

describe('Diebold–Mariano statistic', () => {
  it('is the mean difference over its standard error when no autocovariance is counted (hand-checked)', () => {
    // Mean 2.5; variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; 2.5 / √(1.25 / 4) = 4.472.
    expect(dieboldMariano([1, 2, 3, 4], 0)).toBeCloseTo(2.5 / Math.sqrt(1.25 / 4), 12);
  });

  it('adds the autocovariances with Bartlett weights (hand-checked, one lag)', () => {
    // γ1 = (0.75 − 0.25 + 0.75) / 4 = 0.3125, weight 1/2: long-run variance 1.25 + 0.3125 = 1.5625.
    expect(dieboldMariano([1, 2, 3, 4], 1)).toBeCloseTo(2.5 / Math.sqrt(1.5625 / 4), 12);
  });

  it('counts a run of neighbouring windows that err together as less evidence than independent ones', () => {
    // The same 20 differences, each repeated over 5 neighbouring windows (a day-long regime).
    const base = [0.3, -0.1, 0.4, 0.2, -0.2, 0.5, 0.1, -0.3, 0.6, 0.2, 0.0, 0.3, -0.1, 0.4, 0.1, 0.2, -0.2, 0.5, 0.3, 0.1];
    const runs = base.flatMap((d) => [d, d, d, d, d]);
    const independentT = dieboldMariano(runs, 0);
    const longRun = dieboldMariano(runs);

    expect(independentT).toBeGreaterThan(3);
    expect(longRun).toBeGreaterThan(0);
    expect(longRun).toBeLessThan(independentT / 1.5);
  });

  it('is negative when the first forecast is the better one', () => {
    expect(dieboldMariano([-1, -2, -3, -4], 0)).toBeCloseTo(-2.5 / Math.sqrt(1.25 / 4), 12);
  });

  it('leaves out pairs with a non-finite loss, and is undefined for fewer than two', () => {
    expect(dieboldMariano([1, Number.NaN, 2, 3, Infinity, 4], 0)).toBeCloseTo(dieboldMariano([1, 2, 3, 4], 0), 12);
    expect(dieboldMariano([1, Number.NaN], 0)).toBeNaN();
  });

  it('is infinite for a constant gain and 0 for no difference at all', () => {
    expect(dieboldMariano([0.5, 0.5, 0.5])).toBe(Infinity);
    expect(dieboldMariano([-0.5, -0.5, -0.5])).toBe(-Infinity);
    expect(dieboldMariano([0, 0, 0])).toBe(0);
  });

  it('takes Newey and West’s rule of thumb for the lag by default', () => {
    expect(neweyWestLag(100)).toBe(4);
    expect(neweyWestLag(168)).toBe(4);
    expect(neweyWestLag(10)).toBe(2);
    expect(neweyWestLag(0)).toBe(0);
  });

  it('compares two forecasts window by window from their losses, left out where either has none', () => {
    const a = [3, 4, 5, Number.NaN, 6];
    const b = [2, 2, 2, 1];

    // Differences 1, 2, 3 and, at the last window, none (b has no loss there).
    expect(dieboldMarianoOf(a, b, 0)).toBeCloseTo(dieboldMariano([1, 2, 3], 0), 12);
    expect(dieboldMarianoOf(b, a, 0)).toBeCloseTo(-dieboldMariano([1, 2, 3], 0), 12);
  });
});
