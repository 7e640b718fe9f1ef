import type { RegularSeries } from '../../../models/core/forecaster';
import { MIN_OUTAGE_SECONDS, flatlineOutages, withoutFlatlineOutages } from '../../../models/core/flatline-outages';

const HOUR = 3600;
const DAY = 24;

/** An hourly series: a daily wave between 50 and 150 with a little noise, `days` long. */
function hourly(days: number): number[] {
  return Array.from({ length: days * DAY }, (_, i) => 100 + 50 * Math.sin((2 * Math.PI * i) / DAY) + ((i * 7919) % 13) / 10);
}
const series = (values: number[]): RegularSeries => ({ startMs: Date.UTC(2026, 0, 5), stepSeconds: HOUR, values, timezone: 'UTC' });
const fill = (values: number[], from: number, to: number, v: number): number[] => values.map((x, i) => (i >= from && i < to ? v : x));

describe('flatline outages', () => {
  it('reads two days of zeros in a busy series as missing, and nothing else', () => {
    const values = fill(hourly(21), 10 * DAY, 12 * DAY, 0);

    const masked = withoutFlatlineOutages(series(values)).values;

    for (let i = 0; i < values.length; i++) {
      if (i >= 10 * DAY && i < 12 * DAY) expect(masked[i]).toBeNaN();
      else expect(masked[i]).toBe(values[i]);
    }
  });

  it('reads a value frozen for a day (a stuck gauge) as missing', () => {
    const values = fill(hourly(21), 8 * DAY + 5, 9 * DAY + 5, 123.4);

    expect(flatlineOutages(values, HOUR)).toEqual([{ from: 8 * DAY + 5, to: 9 * DAY + 4, value: 123.4 }]);
  });

  it('keeps the scrapes that failed inside an outage inside it', () => {
    const values = fill(fill(hourly(21), 10 * DAY, 11 * DAY, 0), 10 * DAY + 3, 10 * DAY + 5, Number.NaN);

    expect(flatlineOutages(values, HOUR)).toEqual([{ from: 10 * DAY, to: 11 * DAY - 1, value: 0 }]);
  });

  it('leaves shorter flat stretches alone', () => {
    const steps = MIN_OUTAGE_SECONDS / HOUR - 1;
    const values = fill(hourly(21), 10 * DAY, 10 * DAY + steps, 0);

    expect(flatlineOutages(values, HOUR)).toEqual([]);
  });

  it('leaves a stretch still running at the end of the series alone: it is judged once it ends', () => {
    const values = fill(hourly(21), 20 * DAY, 21 * DAY, 0);

    expect(flatlineOutages(values, HOUR)).toEqual([]);
    const ended = [...values, 120];
    expect(flatlineOutages(ended, HOUR)).toEqual([{ from: 20 * DAY, to: 21 * DAY - 1, value: 0 }]);
  });

  it('keeps nightly zeros that every night has (a queue idle at night)', () => {
    const values = hourly(21).map((v, i) => (i % DAY < 8 ? 0 : v));

    expect(flatlineOutages(values, HOUR)).toEqual([]);
  });

  it('keeps weekend zeros that every weekend has (a batch queue), though the weekdays around them are busy', () => {
    // 2026-01-05 is a Monday: days 5 and 6 of every week are the weekend.
    const values = hourly(28).map((v, i) => (Math.floor(i / DAY) % 7 >= 5 ? 0 : v));

    expect(flatlineOutages(values, HOUR)).toEqual([]);
  });

  it('judges a quiet night that other nights do not share as an outage only when it is long', () => {
    const base = hourly(21).map((v, i) => (i % DAY < 8 ? 1 : v));
    const quiet = fill(base, 10 * DAY, 10 * DAY + 8, 0);
    expect(flatlineOutages(quiet, HOUR)).toEqual([{ from: 10 * DAY, to: 10 * DAY + 7, value: 0 }]);
    // Five hours of zeros at 5-minute steps (60 steps) is under the 6-hour minimum (72 steps).
    const fiveMinutes = Array.from({ length: 14 * 288 }, (_, i) => (i >= 5 * 288 && i < 5 * 288 + 60 ? 0 : 10 + (i % 7)));
    expect(flatlineOutages(fiveMinutes, 300)).toEqual([]);
  });

  it('returns the same series object when there is nothing to mask (conditioning allocates nothing)', () => {
    const s = series(hourly(21));

    expect(withoutFlatlineOutages(s)).toBe(s);
  });

  it('never changes the series it is given', () => {
    const values = fill(hourly(21), 10 * DAY, 12 * DAY, 0);
    const copy = [...values];

    withoutFlatlineOutages(series(values));

    expect(values).toEqual(copy);
  });

  it('judges a constant series as normal: no day differs', () => {
    expect(flatlineOutages(Array.from({ length: 21 * DAY }, () => 5), HOUR)).toEqual([]);
  });
});
