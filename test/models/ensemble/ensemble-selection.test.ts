import { selectCombination } from '../../../models/ensemble/ensemble-selection';

/** Windows × steps of actuals from a function of (window, step). */
function grid(windows: number, steps: number, f: (k: number, h: number) => number): number[][] {
  return Array.from({ length: windows }, (_, k) => Array.from({ length: steps }, (_, h) => f(k, h)));
}

const actual = (k: number, h: number): number => 100 + 10 * Math.sin(k + h);

describe('choosing between the combination and the best member on a nested split', () => {
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
});
