import { OPEN_GATE, stepTrustGate } from '../../../src/accuracy/trust-gate';
import type { AccuracyScores } from '../../../src/accuracy/score-sums';
import { trustGateSchema } from '../../../src/config/trust-gate-schema';

const config = trustGateSchema.parse({ minPoints: 10, maxMaseRatio: 1, recoverMaseRatio: 0.9, minCoverage: 0.7, recoverCoverage: 0.8 });
const scores = (points: number, maseRatio: number, coverage: number): AccuracyScores => ({
  points,
  mase: maseRatio,
  naiveMase: 1,
  maseRatio,
  coverage: { '0.5': 0.5, '0.9': coverage },
  pinball: { '0.5': 0.1, '0.9': 0.1 },
});
const step = (state: typeof OPEN_GATE, s: AccuracyScores, nowMs = 1000, c = config) => stepTrustGate(state, s, { config: c, upperQuantile: 0.9, nowMs });

describe('stepTrustGate', () => {
  it.each([
    { case: 'worse than seasonal-naive', s: scores(50, 1.2, 0.9), engaged: true, reason: 'mase-ratio' },
    { case: 'upper quantile covers too few actuals', s: scores(50, 0.8, 0.6), engaged: true, reason: 'coverage' },
    { case: 'good on both', s: scores(50, 0.8, 0.9), engaged: false, reason: null },
    { case: 'bad but too few points', s: scores(9, 3, 0.1), engaged: false, reason: null },
    { case: 'exactly at the thresholds', s: scores(50, 1, 0.7), engaged: false, reason: null },
  ])('an open gate with $case: engaged $engaged', ({ s, engaged, reason }) => {
    const next = step(OPEN_GATE, s);
    expect(next.engaged).toBe(engaged);
    expect(next.reason).toBe(reason);
    if (engaged) expect(next.sinceMs).toBe(1000);
  });

  it('hysteresis: an engaged gate holds between the thresholds and releases only past the recovery ones', () => {
    const engaged = step(OPEN_GATE, scores(50, 1.3, 0.9));
    expect(step(engaged, scores(50, 0.95, 0.9), 2000)).toMatchObject({ engaged: true, reason: 'mase-ratio' });
    expect(step(engaged, scores(50, 0.9, 0.65), 2000)).toMatchObject({ engaged: true, reason: 'coverage' });
    const released = step(engaged, scores(50, 0.9, 0.8), 3000);
    expect(released).toMatchObject({ engaged: false, reason: null, sinceMs: 3000 });
  });

  it('hysteresis applies to the criterion holding the gate: a coverage gate releases at a ratio of 1 (seasonal-naive served)', () => {
    const byCoverage = step(OPEN_GATE, scores(50, 1, 0.5));
    expect(byCoverage.reason).toBe('coverage');
    expect(step(byCoverage, scores(50, 1, 0.85)).engaged).toBe(false);
    expect(step(byCoverage, scores(50, 1.1, 0.85)).engaged).toBe(true);
  });

  it('while engaged the reason follows what fails now; too few points never changes the state', () => {
    const engaged = step(OPEN_GATE, scores(50, 1.3, 0.9));
    expect(step(engaged, scores(50, 0.8, 0.5)).reason).toBe('coverage');
    expect(step(engaged, scores(3, 0.1, 1))).toBe(engaged);
  });

  it('a disabled gate never engages and releases one that was', () => {
    const off = trustGateSchema.parse({ enabled: false });
    expect(step(OPEN_GATE, scores(500, 5, 0), 1000, off).engaged).toBe(false);
    const engaged = step(OPEN_GATE, scores(50, 1.3, 0.9));
    expect(step(engaged, scores(50, 1.3, 0.9), 1000, off).engaged).toBe(false);
  });

  it('config: recovery thresholds must lie on the safe side, and errors name the field', () => {
    const r = trustGateSchema.safeParse({ maxMaseRatio: 1, recoverMaseRatio: 1.2, minCoverage: 0.8, recoverCoverage: 0.7 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['recoverCoverage', 'recoverMaseRatio']);
  });
});
