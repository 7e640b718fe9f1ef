import { decidePromotion } from '../../../src/model-selection/promotion-gate';

const s = (mase: number) => ({ mase, coverage: {} });

describe('decidePromotion', () => {
  it('promotes a candidate that beats the serving version by the margin', () => {
    expect(decidePromotion({ candidate: s(0.5), current: s(0.6), currentVersion: 'v000001', baseline: s(1), margin: 0.1 }).decision).toBe('promoted');
  });

  it('rejects a candidate that is better but not by the margin, and says by how much it fell short', () => {
    const d = decidePromotion({ candidate: s(0.59), current: s(0.6), currentVersion: 'v000001', baseline: s(1), margin: 0.05 });

    expect(d.decision).toBe('rejected');
    expect(d.reason).toBe('held-out MASE 0.5900 vs current version v000001 0.6000 (needs ≤ 0.5700)');
  });

  it('with nothing serving yet, compares with the seasonal-naive baseline', () => {
    expect(decidePromotion({ candidate: s(0.9), current: null, currentVersion: null, baseline: s(1), margin: 0.02 }).decision).toBe('promoted');
    expect(decidePromotion({ candidate: s(1.1), current: null, currentVersion: null, baseline: s(1), margin: 0.02 }).decision).toBe('rejected');
  });

  it('promotes a seasonal-naive candidate (the baseline itself) while nothing serves, and gates it against a serving version as any other', () => {
    const first = decidePromotion({ candidate: s(1), current: null, currentVersion: null, baseline: s(1), margin: 0.02, candidateIsBaseline: true });
    expect(first.decision).toBe('promoted');
    expect(first.reason).toMatch(/seasonal-naive baseline, chosen over the other kinds/);
    expect(decidePromotion({ candidate: s(1), current: null, currentVersion: null, baseline: s(1), margin: 0.02 }).decision).toBe('rejected');
    expect(decidePromotion({ candidate: s(0.99), current: s(1), currentVersion: 'v000001', baseline: s(0.99), margin: 0.02, candidateIsBaseline: true }).decision).toBe('rejected');
  });

  it('rejects a candidate without a score', () => {
    expect(decidePromotion({ candidate: s(Number.NaN), current: null, currentVersion: null, baseline: s(1), margin: 0 }).decision).toBe('rejected');
  });
});
