import { burstHeldCap } from '../../../src/planner/burst-hold';

describe('burstHeldCap: the rise cover\'s noise cap, held up to a burst while the forecast reaches it', () => {
  it('is the reactive cover when the burst window saw nothing higher', () => {
    expect(burstHeldCap({ sized: 200, reactiveCover: 130, burstCover: 130 })).toBe(130);
  });

  it('holds the burst window\'s cover while the sizing level still reaches it', () => {
    // A burst to 180 a quarter of an hour ago; the calibrated q_nv (200) still says loads that high are likely.
    expect(burstHeldCap({ sized: 200, reactiveCover: 130, burstCover: 180 })).toBe(180);
  });

  it('holds only as far as the sizing level once the forecast narrows, and releases below the reactive cover', () => {
    expect(burstHeldCap({ sized: 150, reactiveCover: 130, burstCover: 180 })).toBe(150);
    // The forecast no longer reaches the reactive cover: the cap is the reactive cover, as without the hold.
    expect(burstHeldCap({ sized: 110, reactiveCover: 130, burstCover: 180 })).toBe(130);
  });

  it('is monotone in each input and never below the reactive cover', () => {
    const base = { sized: 160, reactiveCover: 130, burstCover: 170 };
    for (const key of ['sized', 'reactiveCover', 'burstCover'] as const) {
      let last = -Infinity;
      for (let v = 50; v <= 250; v += 10) {
        const input = { ...base, [key]: v };
        const cap = burstHeldCap(input);
        expect(cap).toBeGreaterThanOrEqual(last);
        expect(cap).toBeGreaterThanOrEqual(input.reactiveCover);
        last = cap;
      }
    }
  });

  it('falls back to the reactive cover when the forecast or the burst window is missing, and passes a missing load through', () => {
    expect(burstHeldCap({ sized: Number.NaN, reactiveCover: 130, burstCover: 180 })).toBe(130);
    expect(burstHeldCap({ sized: 200, reactiveCover: 130, burstCover: Number.NaN })).toBe(130);
    expect(burstHeldCap({ sized: 200, reactiveCover: Number.NaN, burstCover: Number.NaN })).toBeNaN();
  });
});
