import { freshness } from '../../../src/forecast/series-freshness';

const T0 = Date.UTC(2026, 10, 26, 10);
const opts = { stepSeconds: 60, staleAfter: 5 };

describe('series freshness (safety rule 2)', () => {
  it.each<[string, number, number, boolean]>([
    ['a sample from now', 0, 0, false],
    ['exactly staleAfter + 1 steps old', 360, 360, false],
    ['one second past staleAfter + 1 steps', 361, 361, true],
    ['an hour old', 3600, 3600, true],
  ])('%s is %i s old, stale=%s', (_label, ageSeconds, expectedAge, stale) => {
    expect(freshness({ t: T0 - ageSeconds * 1000 }, T0, opts)).toEqual({ ageSeconds: expectedAge, stale });
  });

  it('treats a series without samples as stale with no age', () => {
    expect(freshness(null, T0, opts)).toEqual({ ageSeconds: null, stale: true });
  });

  it('clamps a sample from the future to age 0', () => {
    expect(freshness({ t: T0 + 10_000 }, T0, opts)).toEqual({ ageSeconds: 0, stale: false });
  });
});
