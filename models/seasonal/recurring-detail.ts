import type { CalendarGrid } from '../core/calendar';

/**
 * Standard errors a time-of-day deviation must clear before any of it is kept (the positive
 * part of a James–Stein shrink: `d × max(0, 1 − (k·se / d)²)`). Two, the usual 95 % bar. On
 * pure noise, 6.5–7.6 % of the minutes keep something (five seeds; the se is itself estimated
 * from the days, so the bar is a little lower than its nominal 5 %). What they keep is
 * 0.15–0.20 noise sd on average.
 */
export const DETAIL_STANDARD_ERRORS = 2;

/** Days a time-of-day bin needs (effective, after the recency weights) before its detail counts. */
const MIN_EFFECTIVE_DAYS = 3;

export interface RecurringDetailOptions {
  /** Width of the bins, equal to the series' step for sub-daily steps. */
  binSeconds: number;
  /** Steps either side of a point that its local level averages: the daily profile's smoothing half-width. */
  halfWidth: number;
  /** Recency weight of each step (the daily profile's own weights). */
  weight: ArrayLike<number>;
}

/**
 * What the daily profile's smoothing takes out and the days agree on: per time-of-day bin,
 * the recency-weighted mean of each day's deviation from its own local level (the centred
 * mean over `halfWidth` steps either side), shrunk by how well the days agree on it.
 *
 * Why: the smoothing (about ten minutes) keeps one day's minute-level wiggles out of the
 * rhythm, but it also flattens a spike that comes at the same minute every day — a cron job,
 * a batch import at 07:00. On the MongoDB app 01 and data-ingress minute traces, most of the
 * steps Prescale was short on were such minutes (docs/simulate.md, "Recurring minutes").
 * A day-level shift moves a day's values and its local level together, so it does not count
 * as detail; a spike that recurs does, and a wiggle of one day is shrunk to nothing by the
 * spread of the others. Pure: `O(n)` over the series.
 */
export function recurringDetail(work: Float64Array, cal: CalendarGrid, bins: number, o: RecurringDetailOptions): Float64Array {
  const n = work.length;
  const detail = new Float64Array(bins);
  if (o.halfWidth < 1) return detail;
  // Prefix sums of the finite values, for each point's centred local level.
  const sum = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = work[i] as number;
    const ok = Number.isFinite(v);
    sum[i + 1] = (sum[i] as number) + (ok ? v : 0);
    count[i + 1] = (count[i] as number) + (ok ? 1 : 0);
  }
  const w1 = new Float64Array(bins);
  const w2 = new Float64Array(bins);
  const s1 = new Float64Array(bins);
  const s2 = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const v = work[i] as number;
    if (!Number.isFinite(v)) continue;
    const lo = Math.max(0, i - o.halfWidth);
    const hi = Math.min(n, i + o.halfWidth + 1);
    const c = (count[hi] as number) - (count[lo] as number);
    if (c < 2) continue;
    const deviation = v - ((sum[hi] as number) - (sum[lo] as number)) / c;
    const w = o.weight[i] as number;
    const b = Math.min(bins - 1, Math.floor((cal.secondOfDay[i] as number) / o.binSeconds));
    w1[b] = (w1[b] as number) + w;
    w2[b] = (w2[b] as number) + w * w;
    s1[b] = (s1[b] as number) + w * deviation;
    s2[b] = (s2[b] as number) + w * deviation * deviation;
  }
  const k2 = DETAIL_STANDARD_ERRORS * DETAIL_STANDARD_ERRORS;
  for (let b = 0; b < bins; b++) {
    const w = w1[b] as number;
    if (!(w > 0)) continue;
    const effectiveDays = (w * w) / (w2[b] as number);
    if (effectiveDays < MIN_EFFECTIVE_DAYS) continue;
    const mean = (s1[b] as number) / w;
    const variance = Math.max(0, (s2[b] as number) / w - mean * mean);
    const se2 = variance / effectiveDays;
    const keep = mean === 0 ? 0 : 1 - (k2 * se2) / (mean * mean);
    if (keep > 0) detail[b] = mean * keep;
  }
  return detail;
}
