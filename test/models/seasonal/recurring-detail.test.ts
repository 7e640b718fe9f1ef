import { join } from 'node:path';
import { calendarGrid } from '../../../models/core/calendar';
import { seededRandom } from '../../../models/core/seeded-random';
import { fitCalendarProfile } from '../../../models/seasonal/calendar-profile';
import { recurringDetail } from '../../../models/seasonal/recurring-detail';
import { SeasonalForecaster } from '../../../models/seasonal/seasonal';
import { readSamplesFile } from '../../../main/cli/read-series-file';
import { regularize } from '../../../src/series/regularize';
import { TRACE_DIR } from '../../helpers/trace-file';

const MINUTES_PER_DAY = 1440;
const DAYS = 14;
const START = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
const cal = calendarGrid(START, 60, DAYS * MINUTES_PER_DAY, 'UTC');
const flat = { binSeconds: 60, halfWidth: 5, weight: new Float64Array(DAYS * MINUTES_PER_DAY).fill(1) };

/** Standard normal noise (Box–Muller on a seeded generator), one value per minute of `DAYS` days. */
function noise(seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: DAYS * MINUTES_PER_DAY }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

/** `values` with `height` added at 07:00–07:04 on the days `days` picks. */
function withStepAtSeven(values: Float64Array, height: number, days: (day: number) => boolean): Float64Array {
  const out = values.slice();
  for (let d = 0; d < DAYS; d++) {
    if (!days(d)) continue;
    for (let m = 420; m < 425; m++) out[d * MINUTES_PER_DAY + m] = (out[d * MINUTES_PER_DAY + m] as number) + height;
  }
  return out;
}

const profileOf = (z: Float64Array): number[] => fitCalendarProfile(z, cal, { stepSeconds: 60, useDaily: true, useWeekly: false, halfLifeDays: 7 }).daily;

describe('recurringDetail: what every day repeats at the same minute', () => {
  it('keeps next to nothing of pure noise', () => {
    const detail = recurringDetail(noise(1), cal, MINUTES_PER_DAY, flat);
    const kept = Array.from(detail).filter((d) => d !== 0);
    // Two standard errors: 6.5–7.6 % of the bins clear the bar by chance (five seeds), and keep only part of it.
    expect(kept.length / MINUTES_PER_DAY).toBeLessThan(0.1);
    const meanAbs = Array.from(detail).reduce((s, d) => s + Math.abs(d), 0) / MINUTES_PER_DAY;
    expect(meanAbs).toBeLessThan(0.03);
  });

  it('puts back a five-minute step that comes at 07:00 every day, which the ten-minute smoothing flattens', () => {
    const profile = profileOf(withStepAtSeven(noise(2), 3, () => true));
    // Inside the step the profile is near its height (3 noise sds), before it near 0.
    for (const m of [421, 422, 423]) expect(profile[m] as number).toBeGreaterThan(2.4);
    expect(Math.abs(profile[410] as number)).toBeLessThan(0.5);
    // What the smoothing alone gives there: the step spread over 11 minutes, 5/11 of it.
    const smoothedOnly = (3 * 5) / 11;
    expect(profile[422] as number).toBeGreaterThan(smoothedOnly + 1);
  });

  it('does not learn a step that came on one day only', () => {
    const once = profileOf(withStepAtSeven(noise(3), 3, (d) => d === DAYS - 1));
    const never = profileOf(noise(3));
    // The newest day weighs most, and still its one step moves the profile by less than a noise sd.
    for (const m of [421, 422, 423]) expect(Math.abs((once[m] as number) - (never[m] as number))).toBeLessThan(0.6);
  });

  it('ignores a whole day that runs higher: a day-level shift is not time-of-day detail', () => {
    const shifted = noise(4);
    for (let m = 0; m < MINUTES_PER_DAY; m++) shifted[5 * MINUTES_PER_DAY + m] = (shifted[5 * MINUTES_PER_DAY + m] as number) + 10;
    const a = recurringDetail(shifted, cal, MINUTES_PER_DAY, flat);
    const b = recurringDetail(noise(4), cal, MINUTES_PER_DAY, flat);
    let moved = 0;
    // Only the bins whose ±5-minute window crosses that day's midnight see the shift.
    for (let m = 6; m < MINUTES_PER_DAY - 6; m++) moved = Math.max(moved, Math.abs((a[m] as number) - (b[m] as number)));
    expect(moved).toBeLessThan(0.15);
  });

  it('is empty when the profile is not smoothed (steps of ten minutes and more)', () => {
    expect(Array.from(recurringDetail(noise(5), cal, MINUTES_PER_DAY, { ...flat, halfWidth: 0 })).every((d) => d === 0)).toBe(true);
  });
});

describe('the seasonal model on a real 07:00 step (MongoDB app 01, test/data/traces)', () => {
  // Every day at 07:00 UTC this trace's load jumps by 34–55 % from one minute to the next.
  const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_app_qps_01.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });

  it('forecasts the jump three minutes ahead, and its q0.9 covers it', async () => {
    const origin = Date.parse('2018-05-05T06:57:00Z');
    const end = Math.round((origin - full.startMs) / 60_000) + 1;
    const from = Math.max(0, end - DAYS * MINUTES_PER_DAY); // the trace begins ten days before
    const history = { ...full, startMs: full.startMs + from * 60_000, values: Array.from(full.values).slice(from, end) };
    const f = (await new SeasonalForecaster().fit(history)).predict(3, { quantiles: [0.5, 0.9] });
    const actual = Array.from(full.values).slice(end, end + 3) as number[];
    const observedJump = (actual[2] as number) - (actual[1] as number); // 06:59 → 07:00
    const forecastJump = (f.mean[2] as number) - (f.mean[1] as number);
    expect(observedJump).toBeGreaterThan(1500);
    // Without the detail the smoothed profile ramped over ten minutes: a jump of 1056 against
    // the 1984 observed, and a q0.9 of 6177 against the 6625 that came (measured 6 Dec 2026).
    expect(forecastJump).toBeGreaterThan(0.75 * observedJump);
    expect(f.quantiles['0.9']![2] as number).toBeGreaterThan(actual[2] as number);
  });
});
