import { steadyDemand } from '../../../src/planner/burst-cover';

describe('steadyDemand: the spread is bought once, by the plan or the reactive term', () => {
  it('keeps the full newsvendor level when the reactive term holds nothing above the median', () => {
    expect(steadyDemand({ median: 100, sized: 140, reactiveCover: 90, observed: 80 })).toBe(140);
  });

  it('subtracts the part of the spread the reactive term already holds', () => {
    // The reactive term holds 25 above the median, so the plan buys the other 15.
    expect(steadyDemand({ median: 100, sized: 140, reactiveCover: 125, observed: 80 })).toBe(115);
  });

  it('falls to the median (or the observed load) when the reactive term holds the whole spread', () => {
    expect(steadyDemand({ median: 100, sized: 140, reactiveCover: 200, observed: 80 })).toBe(100);
    expect(steadyDemand({ median: 100, sized: 140, reactiveCover: 200, observed: 120 })).toBe(120);
  });

  it('never asks for less than the observed load, and passes a forecast rise through', () => {
    // A foreseen rise: the median is far above what the reactive term holds.
    expect(steadyDemand({ median: 300, sized: 360, reactiveCover: 110, observed: 100 })).toBe(360);
    expect(steadyDemand({ median: 100, sized: 100, reactiveCover: 50, observed: 130 })).toBe(130);
  });

  it('is monotone in the sizing level and never above it', () => {
    for (const cover of [0, 90, 110, 130, 150, 1000]) {
      let last = -Infinity;
      for (let sized = 100; sized <= 200; sized += 10) {
        const d = steadyDemand({ median: 100, sized, reactiveCover: cover, observed: 50 });
        expect(d).toBeGreaterThanOrEqual(last);
        expect(d).toBeLessThanOrEqual(sized);
        last = d;
      }
    }
  });

  it('keeps the sized value when the median is missing', () => {
    expect(steadyDemand({ median: Number.NaN, sized: 140, reactiveCover: 200, observed: 80 })).toBe(140);
  });
});
