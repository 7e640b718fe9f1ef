import { alignToStep, regularize } from '../../../src/series/regularize';

const T0 = Date.UTC(2026, 10, 26, 10); // on every step boundary used here
const s = (seconds: number, v: number) => ({ t: T0 + seconds * 1000, v });

describe('regularizing samples onto a step', () => {
  it.each<[number, number, number]>([
    [T0 + 59_999, 60, T0],
    [T0 + 60_000, 60, T0 + 60_000],
    [T0 + 299_000, 300, T0],
    [T0 - 1, 300, T0 - 300_000],
  ])('aligns %i to the epoch-aligned step of %i s starting at %i', (t, step, start) => {
    expect(alignToStep(t, step)).toBe(start);
  });

  it('averages a rate over each step', () => {
    const series = regularize([s(0, 10), s(20, 20), s(40, 30), s(60, 5)], { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });

    expect(series.values).toEqual([20, 5]);
    expect(series.startMs).toBe(T0);
  });

  it('keeps the last value of a gauge in each step, whatever the sample order', () => {
    const series = regularize([s(40, 30), s(0, 10), s(20, 20), s(61, 5)], { stepSeconds: 60, kind: 'gauge', timezone: 'UTC' });

    expect(series.values).toEqual([30, 5]);
  });

  it('marks steps without samples as NaN gaps', () => {
    const series = regularize([s(0, 1), s(180, 4)], { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });

    expect(series.values).toEqual([1, Number.NaN, Number.NaN, 4]);
  });

  it('starts on the epoch-aligned step of the first sample, not at the sample time', () => {
    const series = regularize([s(95, 1), s(400, 2)], { stepSeconds: 300, kind: 'rate', timezone: 'Europe/Berlin' });

    expect(series.startMs).toBe(T0);
    expect(series.values).toEqual([1, 2]);
    expect(series.timezone).toBe('Europe/Berlin');
    expect(series.stepSeconds).toBe(300);
  });

  it('extends the grid with gaps up to untilMs', () => {
    const series = regularize([s(0, 1)], { stepSeconds: 60, kind: 'rate', timezone: 'UTC', untilMs: T0 + 150_000 });

    expect(series.values).toEqual([1, Number.NaN, Number.NaN]);
  });

  it('returns an empty series for no samples', () => {
    expect(regularize([], { stepSeconds: 60, kind: 'rate', timezone: 'UTC' }).values).toEqual([]);
  });
});
