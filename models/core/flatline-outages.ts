/**
 * Flatline outages: a long stretch where the series reports one value, step after step, that
 * the same hours on other days do not. A dead exporter behind a recording rule with
 * `or vector(0)`, a sum over pods that are all down, or a gauge stuck at its last scrape
 * reports zeros or one frozen number instead of nothing. Left in, a fit learns days of it as
 * a season or as a collapse of load (issue 15, item 6, asks for neither), and an LSTM trained
 * across the edge learns jumps from nothing to full load. Every model reads such a stretch as
 * missing (NaN), which each already handles (docs/training.md, "Long outages").
 *
 * Pure: the same values in give the same values out; the series is never changed in place.
 */
import type { RegularSeries } from './forecaster';

/** Shorter flat stretches are left alone: a quiet night of a low-count series, a paused queue. */
export const MIN_OUTAGE_SECONDS = 6 * 3600;
/** A flat stretch is normal when at least this share of its steps sees the same value a day or a week away. */
const NORMAL_SHARE = 0.5;
/** Steps of a stretch compared with their neighbours, at most (an outage of two days at 1 minute has 2,880). */
const JUDGED_STEPS = 96;

/** A flat stretch `[from, to]` (inclusive; NaNs inside it allowed) of `value`. */
interface FlatRun {
  from: number;
  to: number;
  value: number;
}

/**
 * `series` with every flatline outage that has ended read as missing; `series` itself (the
 * same object) when there is none, which is almost always, so conditioning on every sample
 * allocates nothing. A stretch still running at the end of the series is left as it is: it is
 * judged once it ends, and until then the newest values are the truth the models condition on.
 */
export function withoutFlatlineOutages<S extends RegularSeries>(series: S): S {
  const outages = flatlineOutages(series.values, series.stepSeconds);
  if (outages.length === 0) return series;
  const values = new Float64Array(series.values.length);
  for (let i = 0; i < values.length; i++) values[i] = series.values[i] as number;
  for (const { from, to } of outages) values.fill(Number.NaN, from, to + 1);
  return { ...series, values };
}

/**
 * The flat stretches of at least MIN_OUTAGE_SECONDS (and three steps) that have ended and whose
 * value the same time of day or week outside the stretch does not share on at least
 * NORMAL_SHARE of its steps. A stretch with no step outside it a day or a week away is normal:
 * nothing says otherwise.
 */
export function flatlineOutages(values: ArrayLike<number>, stepSeconds: number): FlatRun[] {
  const minSteps = Math.max(3, Math.ceil(MIN_OUTAGE_SECONDS / stepSeconds));
  if (!hasLongRepeat(values, minSteps)) return [];
  const day = Math.max(1, Math.round(86_400 / stepSeconds));
  const periods = [day, 7 * day];
  const lastFinite = lastFiniteIndex(values);
  return flatRuns(values, minSteps).filter((run) => run.to < lastFinite && !seenElsewhere(values, run, periods));
}

/**
 * Whether some value spans `minSteps` steps with no other value between (as `flatRuns`
 * counts a stretch): the one pass most calls end with, kept to plain comparisons because it runs on
 * every conditioning (a two-week minute history in about 20 µs).
 */
function hasLongRepeat(values: ArrayLike<number>, minSteps: number): boolean {
  let last = Number.NaN;
  let from = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // NaN (v !== v) neither ends a stretch nor starts one.
    if (v !== v) continue;
    if (v !== last) {
      last = v;
      from = i;
    } else if (i - from + 1 >= minSteps) return true;
  }
  return false;
}

/** Maximal stretches of one finite value (NaNs inside do not break one) spanning at least `minSteps`. */
function flatRuns(values: ArrayLike<number>, minSteps: number): FlatRun[] {
  const runs: FlatRun[] = [];
  let i = 0;
  while (i < values.length) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      i++;
      continue;
    }
    let to = i;
    let j = i + 1;
    for (; j < values.length; j++) {
      const v = values[j] as number;
      if (Number.isNaN(v)) continue;
      if (v !== value) break;
      to = j;
    }
    if (to - i + 1 >= minSteps) runs.push({ from: i, to, value });
    i = to + 1;
  }
  return runs;
}

/**
 * Whether at least NORMAL_SHARE of the run's steps that have a neighbour a period away
 * (outside the run) see its value there. At most JUDGED_STEPS steps, evenly spread, are
 * looked at: this runs on every conditioning while an outage is in the history, and a share
 * needs no more.
 */
function seenElsewhere(values: ArrayLike<number>, run: FlatRun, periods: readonly number[]): boolean {
  let judged = 0;
  let same = 0;
  const stride = Math.max(1, Math.ceil((run.to - run.from + 1) / JUDGED_STEPS));
  for (let k = run.from; k <= run.to; k += stride) {
    if (!Number.isFinite(values[k] as number)) continue;
    let seen = false;
    let matched = false;
    for (let p = 0; p < 2 * periods.length; p++) {
      const period = (periods[p >> 1] as number) * (p % 2 === 0 ? -1 : 1);
      const v = nearestOutside(values, run, k, period);
      if (Number.isNaN(v)) continue;
      seen = true;
      if (sameValue(v, run.value)) matched = true;
    }
    if (seen) judged++;
    if (matched) same++;
  }
  return judged === 0 || same >= NORMAL_SHARE * judged;
}

/** The nearest observed value a whole number of `period`s (signed) from `k` outside the run; NaN when none. */
function nearestOutside(values: ArrayLike<number>, run: FlatRun, k: number, period: number): number {
  // The first multiple of the period that lands outside the run.
  const jumps = period < 0 ? Math.floor((k - run.from) / -period) + 1 : Math.floor((run.to - k) / period) + 1;
  for (let i = k + jumps * period; i >= 0 && i < values.length; i += period) {
    const v = values[i] as number;
    if (Number.isFinite(v)) return v;
  }
  return Number.NaN;
}

/** Equal up to float noise of the run's magnitude (a rate averaged from the same counts). */
function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function lastFiniteIndex(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i] as number)) return i;
  return -1;
}
