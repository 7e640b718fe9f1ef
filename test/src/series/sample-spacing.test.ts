import { inferredStepSeconds, medianSpacingSeconds } from '../../../src/series/sample-spacing';

const minute = 60_000;
const at = (...minutes: number[]) => minutes.map((m) => ({ t: Date.UTC(2026, 0, 1) + m * minute, v: 1 }));

describe('medianSpacingSeconds', () => {
  it('is the spacing of an evenly spaced file', () => {
    expect(medianSpacingSeconds(at(0, 1, 2, 3, 4))).toBe(60);
  });

  it('is not moved by an outage at the start (the first gap is not the step)', () => {
    // Three days missing between the first two samples, then a minute apart.
    expect(medianSpacingSeconds(at(0, 3 * 1440, 3 * 1440 + 1, 3 * 1440 + 2, 3 * 1440 + 3))).toBe(60);
  });

  it('is not moved by a duplicated scrape at the start', () => {
    expect(medianSpacingSeconds(at(0, 0, 5, 10, 15, 20))).toBe(300);
  });

  it('reads samples in any order', () => {
    expect(medianSpacingSeconds(at(20, 5, 15, 0, 10))).toBe(300);
  });

  it('is NaN with fewer than two samples', () => {
    expect(medianSpacingSeconds(at(0))).toBeNaN();
    expect(medianSpacingSeconds([])).toBeNaN();
  });
});

describe('inferredStepSeconds', () => {
  it('rounds to whole seconds and is at least 1', () => {
    const ms = (...offsets: number[]) => offsets.map((t) => ({ t, v: 1 }));
    expect(inferredStepSeconds(ms(0, 1400, 2800, 4200))).toBe(1);
    expect(inferredStepSeconds(ms(0, 100, 200, 300))).toBe(1);
    expect(inferredStepSeconds(ms(0, 29_600, 59_200))).toBe(30);
  });
});
