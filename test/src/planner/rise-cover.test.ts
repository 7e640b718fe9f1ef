import { riseCoverDemand } from '../../../src/planner/rise-cover';

describe('riseCoverDemand: the forecast buys what it foresees above the reactive path', () => {
  it('keeps the newsvendor level when it is below the reactive cover and no rise is foreseen', () => {
    expect(riseCoverDemand({ sized: 110, mean: 95, reactiveCover: 130, observed: 100 })).toBe(110);
  });

  it('cuts a wide interval to the reactive cover when the mean foresees no rise', () => {
    // q_nv 160 is noise cover; the reactive term already holds 130.
    expect(riseCoverDemand({ sized: 160, mean: 100, reactiveCover: 130, observed: 100 })).toBe(130);
  });

  it('adds the foreseen rise of the mean on top of the level', () => {
    expect(riseCoverDemand({ sized: 160, mean: 140, reactiveCover: 130, observed: 100 })).toBe(170);
    expect(riseCoverDemand({ sized: 110, mean: 120, reactiveCover: 130, observed: 100 })).toBe(130);
  });

  it('never asks for less than the observed load', () => {
    expect(riseCoverDemand({ sized: 80, mean: 70, reactiveCover: 90, observed: 100 })).toBe(100);
  });

  it('is monotone in the sizing level, the mean and the reactive cover', () => {
    const base = { sized: 120, mean: 105, reactiveCover: 115, observed: 100 };
    for (const key of ['sized', 'mean', 'reactiveCover'] as const) {
      let last = -Infinity;
      for (let v = 50; v <= 250; v += 10) {
        const d = riseCoverDemand({ ...base, [key]: v });
        expect(d).toBeGreaterThanOrEqual(last);
        last = d;
      }
    }
  });

  it('keeps the sized value when the reactive cover or the load is missing (a failed metric fetch)', () => {
    expect(riseCoverDemand({ sized: 140, mean: 120, reactiveCover: Number.NaN, observed: Number.NaN })).toBe(140);
  });
});
