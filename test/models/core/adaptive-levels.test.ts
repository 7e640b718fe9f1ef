import { effectiveLevel, initialLevels, levelOffset, missRatesOf, targetMiss, updateLevels } from '../../../models/core/adaptive-levels';

describe('adaptive conformal levels', () => {
  it('start at their targets', () => {
    const levels = initialLevels([0.1, 0.9]);

    expect(effectiveLevel(levels, 0.9)).toBeCloseTo(0.9, 12);
    expect(effectiveLevel(levels, 0.1)).toBeCloseTo(0.1, 12);
    expect(effectiveLevel(levels, 0.5)).toBe(0.5);
  });

  it('ask for a wider upper quantile after misses and a narrower one after a run of hits', () => {
    const start = initialLevels([0.9], 0.01);

    const afterMisses = updateLevels(start, { missRates: { '0.9': 1 } }, 10);
    const afterHits = updateLevels(start, { missRates: { '0.9': 0 } }, 10);

    // α moves by γ·steps·(α − miss): 0.1 + 0.1·(0.1 − 1) = 0.01, and 0.1 + 0.1·0.1 = 0.11.
    expect(effectiveLevel(afterMisses, 0.9)).toBeCloseTo(0.99, 10);
    expect(effectiveLevel(afterHits, 0.9)).toBeCloseTo(0.89, 10);
  });

  it('do not move when the miss rate is the target', () => {
    const start = initialLevels([0.1, 0.9]);

    const moved = updateLevels(start, { missRates: { '0.9': targetMiss(0.9), '0.1': targetMiss(0.1) } }, 100);

    expect(moved.miss).toEqual(start.miss);
    expect(moved.shift).toEqual(start.shift);
  });

  it('shift a level away from the median, in units of the median’s recent error, while misses exceed the target', () => {
    let levels = initialLevels([0.9]);
    for (let k = 0; k < 5; k++) levels = updateLevels(levels, { missRates: { '0.9': 1 }, medianAbsError: 10 }, 1);

    // 5 steps × 0.3 × (1 − 0.1) = 1.35 error units of 10.
    expect(levelOffset(levels, 0.9)).toBeCloseTo(13.5, 10);
    expect(levelOffset(levels, 0.95)).toBeCloseTo(13.5, 10);
    expect(levelOffset(levels, 0.1)).toBeCloseTo(0, 12);
    for (let k = 0; k < 100; k++) levels = updateLevels(levels, { missRates: { '0.9': 0 }, medianAbsError: 10 }, 1);
    expect(levelOffset(levels, 0.9)).toBe(0);
  });

  it('keep one update from moving α by more than half its error, and stay on their side of the median', () => {
    let levels = initialLevels([0.9], 0.005);
    for (let k = 0; k < 50; k++) levels = updateLevels(levels, { missRates: { '0.9': 0 } }, 10_000);

    expect(effectiveLevel(levels, 0.9)).toBeGreaterThanOrEqual(0.5);
    expect(updateLevels(initialLevels([0.9]), { missRates: { '0.9': 1 } }, 1e9).miss['0.9']).toBeCloseTo(0.1 + 0.5 * (0.1 - 1) < 0.002 ? 0.002 : 0.1 + 0.5 * (0.1 - 1), 10);
  });

  it('map untracked levels monotonically between tracked ones', () => {
    const levels = updateLevels(initialLevels([0.75, 0.9]), { missRates: { '0.9': 0.3, '0.75': 0.3 } }, 20);
    const asked = [0.55, 0.6, 0.75, 0.8, 0.9, 0.95, 0.99].map((q) => effectiveLevel(levels, q));

    for (let i = 1; i < asked.length; i++) expect(asked[i]!).toBeGreaterThanOrEqual(asked[i - 1]!);
    expect(asked[4]!).toBeGreaterThan(0.9);
  });

  it('count misses on the level’s side of the median, ignoring missing actuals', () => {
    const rates = missRatesOf({ '0.9': [10, 10, 10, 10], '0.1': [5, 5, 5, 5] }, [11, 9, Number.NaN, 4]);

    expect(rates['0.9']).toBeCloseTo(1 / 3, 12);
    expect(rates['0.1']).toBeCloseTo(1 / 3, 12);
  });
});
