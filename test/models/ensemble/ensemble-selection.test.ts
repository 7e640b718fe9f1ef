import { SELECTION_MARGIN, chooseMember, incumbentMember, pairedT, selectCombination } from '../../../models/ensemble/ensemble-selection';

/** Windows × steps of actuals from a function of (window, step). */
function grid(windows: number, steps: number, f: (k: number, h: number) => number): number[][] {
  return Array.from({ length: windows }, (_, k) => Array.from({ length: steps }, (_, h) => f(k, h)));
}

const actual = (k: number, h: number): number => 100 + 10 * Math.sin(k + h);

describe('choosing between the combination and the best member by rolling origins', () => {
  it('serves the combination when members err on opposite sides, so their mean beats either', () => {
    const actuals = grid(12, 4, actual);
    const high = grid(12, 4, (k, h) => actual(k, h) + 5 + (k % 3));
    const low = grid(12, 4, (k, h) => actual(k, h) - 5 - (k % 2));

    const selection = selectCombination([high, low], actuals);

    expect(selection.choice).toEqual({ kind: 'combination' });
    expect(selection.nested.combination).toBeLessThan(selection.nested.member);
    for (const w of selection.weights) expect(w[0]! + w[1]!).toBeCloseTo(1, 12);
  });

  it('serves one member alone, with one-hot weights, when the prior’s share would only add another member’s error', () => {
    const actuals = grid(12, 4, actual);
    const exact = grid(12, 4, (k, h) => actual(k, h) + 0.1 * Math.cos(3 * k + h));
    const noisy = grid(12, 4, (k, h) => actual(k, h) + 20 * Math.sin(7 * k + 2 * h));

    const selection = selectCombination([noisy, exact], actuals, { member: 0, share: 0.3 });

    expect(selection.choice).toEqual({ kind: 'member', member: 1 });
    expect(selection.nested.member).toBeLessThan(selection.nested.combination);
    for (const w of selection.weights) expect(w).toEqual([0, 1]);
  });

  it('combines without nesting when there are too few windows to split', () => {
    const actuals = grid(3, 2, actual);
    const a = grid(3, 2, (k, h) => actual(k, h) + 1);

    expect(selectCombination([a, a], actuals).choice).toEqual({ kind: 'combination' });
  });

  it('scores only windows after the first third, each against weights fitted before it', () => {
    const actuals = grid(24, 4, actual);
    const high = grid(24, 4, (k, h) => actual(k, h) + 5 + (k % 3));
    const low = grid(24, 4, (k, h) => actual(k, h) - 5 - (k % 2));

    expect(selectCombination([high, low], actuals).nested.scored).toBe(16);
  });

  it('serves the member when the combination wins by less than the margin', () => {
    // Both members share a bias of +1 and differ only by small noise: averaging them removes
    // a little noise, a gain far under the margin, so the simpler choice serves.
    const actuals = grid(24, 4, actual);
    const a = grid(24, 4, (k, h) => actual(k, h) + 1 + 0.05 * Math.sin(3 * k + h));
    const b = grid(24, 4, (k, h) => actual(k, h) + 1 + 0.05 * Math.cos(5 * k + 2 * h));

    const selection = selectCombination([a, b], actuals);

    const gain = selection.nested.member - selection.nested.combination;
    expect(gain).toBeLessThan(SELECTION_MARGIN * selection.nested.member);
    expect(selection.choice.kind).toBe('member');
    for (const w of selection.weights) expect(w.filter((x) => x === 1)).toHaveLength(1);
  });

  it('serves a member when the combination wins on average only through one lucky window', () => {
    // `a` misses by 1 and `b` by 3 on the same side, so mixing in `b` loses a little on every
    // window, except the newest, where `a` misses by 200: a mean gain, but only noise.
    const actuals = grid(24, 4, actual);
    const a = grid(24, 4, (k, h) => actual(k, h) + (k === 23 ? 200 : 1));
    const b = grid(24, 4, (k, h) => actual(k, h) + 3);

    const selection = selectCombination([a, b], actuals);

    const gain = selection.nested.member - selection.nested.combination;
    expect(gain).toBeGreaterThan(SELECTION_MARGIN * selection.nested.member);
    expect(selection.nested.t).toBeLessThan(1);
    expect(selection.choice.kind).toBe('member');
  });
});

describe('choosing the member that serves alone', () => {
  // Errors per window: the prior (member 0) misses by 2 on every window.
  const actuals = grid(24, 4, actual);
  const prior = grid(24, 4, (k, h) => actual(k, h) + 2);

  it('replaces the prior by a member that beats it on every window', () => {
    const better = grid(24, 4, (k, h) => actual(k, h) + 1 + 0.1 * (k % 3));

    expect(chooseMember([prior, better], actuals, 0)).toBe(1);
  });

  it('keeps the prior when another member has the lower mean error only through one unlucky window of the prior', () => {
    // The prior misses by 50 on the newest window: its mean error is 4 against the other
    // member's 2.5, but the other member loses on every other window, so the paired t is 0.75.
    const spiky = grid(24, 4, (k, h) => actual(k, h) + (k === 23 ? 50 : 2));
    const steady = grid(24, 4, (k, h) => actual(k, h) + 2.5);
    const diffs = Array.from({ length: 24 }, (_, k) => (k === 23 ? 47.5 : -0.5));
    expect(pairedT(diffs)).toBeLessThan(1);

    expect(chooseMember([spiky, steady], actuals, 0)).toBe(0);
    // Without a prior, the lowest mean error wins, as before.
    expect(chooseMember([spiky, steady], actuals)).toBe(1);
  });

  it('measures the combination against the prior when a challenger led only in the oldest windows (the switch does not hold up nested)', () => {
    // Error 1 against the prior's 2 on the oldest third, 2.1 after: on all 24 windows the paired
    // rule switches (mean gain 0.27, t about 2.5), but every block scored after its own choice
    // (from the first third on) would serve a member that is worse than the prior there.
    const early = grid(24, 4, (k, h) => actual(k, h) + (k < 8 ? 1 : 2.1));
    const diffs = Array.from({ length: 24 }, (_, k) => (k < 8 ? 1 : -0.1));
    expect(pairedT(diffs)).toBeGreaterThan(1);

    expect(chooseMember([prior, early], actuals, 0)).toBe(1);
    expect(incumbentMember([prior, early], actuals, 0)).toBe(0);
    // The same lead on the newest windows is one the nested blocks see: the switch holds.
    const late = grid(24, 4, (k, h) => actual(k, h) + (k >= 8 ? 1 : 2.1));
    expect(incumbentMember([prior, late], actuals, 0)).toBe(1);
    // No prior to defend: the lowest error.
    expect(incumbentMember([prior, early], actuals)).toBe(chooseMember([prior, early], actuals));
  });

  it('keeps the prior when another member wins on every window but by less than the margin', () => {
    const hair = grid(24, 4, (k, h) => actual(k, h) + 2 * (1 - SELECTION_MARGIN / 2));

    expect(chooseMember([prior, hair], actuals, 0)).toBe(0);
  });

  it('of several members that beat the prior clearly, serves the one with the lowest error', () => {
    const good = grid(24, 4, (k, h) => actual(k, h) + 1);
    const best = grid(24, 4, (k, h) => actual(k, h) + 0.5 + 0.01 * (k % 2));

    expect(chooseMember([prior, good, best], actuals, 0)).toBe(2);
  });

  it('scores a challenger on the windows it could forecast only, and passes over a prior with no finite error', () => {
    // No forecast on the older half (NaN), one step better than the prior on the newer half.
    const halfBetter = grid(24, 4, (k, h) => (k < 12 ? Number.NaN : actual(k, h) + 1));
    const worse = grid(24, 4, (k, h) => actual(k, h) + 3);
    const broken = grid(24, 4, () => Number.NaN);

    expect(chooseMember([prior, halfBetter], actuals, 0)).toBe(1);
    expect(chooseMember([prior, worse], actuals, 0)).toBe(0);
    expect(chooseMember([broken, worse], actuals, 0)).toBe(1);
  });

  it('serves the prior when no window has an actual to score on (the history ends in an outage)', () => {
    const missing = grid(24, 4, () => Number.NaN);
    const naive = grid(24, 4, (k, h) => actual(k, h) + 1);
    const seasonal = grid(24, 4, (k, h) => actual(k, h) + 2);

    expect(chooseMember([naive, seasonal], missing, 1)).toBe(1);
    expect(chooseMember([naive, seasonal], missing)).toBe(0);
    const selection = selectCombination([naive, seasonal], missing, { member: 1, share: 0.3 });
    expect(selection.choice).toEqual({ kind: 'member', member: 1 });
    for (const w of selection.weights) expect(w).toEqual([0, 1]);
  });

  it('serves the member this rule chooses when the combination does not win, not the one with the lowest error', () => {
    const spiky = grid(24, 4, (k, h) => actual(k, h) + (k === 23 ? 50 : 2));
    const steady = grid(24, 4, (k, h) => actual(k, h) + 2.5);

    const selection = selectCombination([spiky, steady], actuals, { member: 0, share: 0.3 });

    expect(selection.choice).toEqual({ kind: 'member', member: 0 });
    for (const w of selection.weights) expect(w).toEqual([1, 0]);
  });
});

describe('paired t statistic', () => {
  it('is the mean over its standard error', () => {
    // mean 2, sample sd 1 (values 1, 2, 3), n 3: t = 2 / (1 / √3).
    expect(pairedT([1, 2, 3])).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(pairedT([-1, -2, -3])).toBeCloseTo(-2 * Math.sqrt(3), 12);
  });

  it('is infinite for a constant gain and undefined for one window', () => {
    expect(pairedT([0.5, 0.5])).toBe(Infinity);
    expect(pairedT([1])).toBeNaN();
  });
});
