import { reactiveDemand, windowObservations } from '../../../src/forecast/reactive-demand';

const T = 1_700_000_000_000;
const minute = (i: number, v: number) => ({ t: T + i * 60_000, v });

describe('reactiveDemand: what a gated series publishes', () => {
  it('is the peak observation over the window ending at the newest sample, as an HPA holds its recommendations over 300 s', () => {
    // A burst 3 minutes ago, falling since: the last observation alone (30) is below what the HPA still holds (90).
    const samples = [minute(0, 50), minute(1, 40), minute(2, 90), minute(3, 60), minute(4, 45), minute(5, 30)];
    expect(reactiveDemand(samples, minute(5, 30), 300)).toBe(90);
  });

  it('includes the sample exactly one window old and drops older ones, and those after the newest', () => {
    const samples = [minute(-1, 500), minute(0, 70), minute(5, 30), minute(6, 999)];
    expect(reactiveDemand(samples, minute(5, 30), 300)).toBe(70);
    expect(reactiveDemand(samples, minute(5, 30), 299)).toBe(30);
  });

  it('is never below the newest sample (the observation floor), even with no window or only lower, missing or non-finite values', () => {
    expect(reactiveDemand([], minute(5, 30), 300)).toBe(30);
    expect(reactiveDemand([minute(4, 10), minute(3, Number.NaN), minute(2, Number.POSITIVE_INFINITY)], minute(5, 30), 300)).toBe(30);
    expect(reactiveDemand([minute(4, 80)], minute(5, 30), 0)).toBe(30);
  });
});

describe('windowObservations', () => {
  it('takes the finite steps of a regular series within the window of its newest step', () => {
    const series = { startMs: T, stepSeconds: 60, values: [1, 2, 3, Number.NaN, 5, 6, 7, 8] };
    // 300 s at 1-minute steps: the newest step and the five before it, minus the gap.
    expect(windowObservations(series, 300)).toEqual([minute(2, 3), minute(4, 5), minute(5, 6), minute(6, 7), minute(7, 8)]);
    expect(reactiveDemand(windowObservations(series, 300), minute(7, 8), 300)).toBe(8);
  });

  it('at a step longer than the window keeps only the newest step, so an hourly series publishes its last observation', () => {
    const hourly = { startMs: T, stepSeconds: 3600, values: [100, 900, 40] };
    expect(windowObservations(hourly, 300)).toEqual([{ t: T + 2 * 3_600_000, v: 40 }]);
  });

  it('an empty series has no observations', () => {
    expect(windowObservations({ startMs: T, stepSeconds: 60, values: [] }, 300)).toEqual([]);
  });
});
