import type { CalendarGrid } from '../core/calendar';
import { recurringDetail } from './recurring-detail';

/**
 * The seasonal part of the model: a daily profile by local time of day, and a weekly
 * correction by local day of week and hour block, both in local wall-clock time so the
 * shape survives DST changes.
 */
export interface CalendarProfile {
  /** Step-sized time-of-day bins over one local day; empty when the daily cycle is off. */
  daily: number[];
  /** 7 × blocksPerDay corrections (Monday first); empty when the weekly cycle is off. */
  weekly: number[];
  binSeconds: number;
  blockSeconds: number;
}

export interface ProfileOptions {
  stepSeconds: number;
  useDaily: boolean;
  useWeekly: boolean;
  /** Recency half-life of the daily profile, in days. */
  halfLifeDays: number;
}

const DAY_SECONDS = 86_400;
// The daily profile is smoothed over about ten minutes: minute-level wiggles in one day are
// noise, not rhythm (what every day repeats at the same minute is put back: recurring-detail.ts).
const SMOOTHING_SECONDS = 600;
const BACKFIT_ROUNDS = 2;

export function emptyProfile(stepSeconds: number): CalendarProfile {
  return { daily: [], weekly: [], binSeconds: stepSeconds, blockSeconds: 3600 };
}

/** Seasonal component at one calendar position. */
export function profileAt(p: CalendarProfile, secondOfDay: number, dayOfWeek: number): number {
  let v = 0;
  if (p.daily.length > 0) v += p.daily[Math.min(p.daily.length - 1, Math.floor(secondOfDay / p.binSeconds))] as number;
  if (p.weekly.length > 0) {
    const blocks = p.weekly.length / 7;
    v += p.weekly[dayOfWeek * blocks + Math.min(blocks - 1, Math.floor(secondOfDay / p.blockSeconds))] as number;
  }
  return v;
}

/** Estimates the profile from transformed values `z` (NaN = missing) on calendar grid `cal`. */
export function fitCalendarProfile(z: Float64Array, cal: CalendarGrid, options: ProfileOptions): CalendarProfile {
  const binSeconds = Math.min(options.stepSeconds, DAY_SECONDS);
  const blockSeconds = Math.max(3600, binSeconds);
  const profile: CalendarProfile = { daily: [], weekly: [], binSeconds, blockSeconds };
  if (!options.useDaily && !options.useWeekly) return profile;
  const rounds = options.useDaily && options.useWeekly ? BACKFIT_ROUNDS : 1;
  const work = new Float64Array(z.length);
  // One weight per step, computed once for both rounds and the recurring detail.
  const recency = options.useDaily ? recencyWeights(z.length, options) : new Float64Array(0);
  for (let round = 0; round < rounds; round++) {
    if (options.useDaily) {
      for (let i = 0; i < z.length; i++) work[i] = (z[i] as number) - weeklyAt(profile, cal, i);
      profile.daily = dailyProfile(work, cal, binSeconds, recency);
    }
    if (options.useWeekly) {
      for (let i = 0; i < z.length; i++) work[i] = (z[i] as number) - dailyAt(profile, cal, i);
      profile.weekly = weeklyProfile(work, cal, blockSeconds, options.stepSeconds);
    }
  }
  return profile;
}

function dailyAt(p: CalendarProfile, cal: CalendarGrid, i: number): number {
  if (p.daily.length === 0) return 0;
  return p.daily[Math.min(p.daily.length - 1, Math.floor((cal.secondOfDay[i] as number) / p.binSeconds))] as number;
}

function weeklyAt(p: CalendarProfile, cal: CalendarGrid, i: number): number {
  if (p.weekly.length === 0) return 0;
  const blocks = p.weekly.length / 7;
  const block = Math.min(blocks - 1, Math.floor((cal.secondOfDay[i] as number) / p.blockSeconds));
  return p.weekly[(cal.dayOfWeek[i] as number) * blocks + block] as number;
}

/** Weight of each step by its age: halved every `halfLifeDays`, 1 for the newest. */
function recencyWeights(n: number, options: ProfileOptions): Float64Array {
  const stepsPerDay = DAY_SECONDS / options.stepSeconds;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = Math.pow(0.5, (n - 1 - i) / stepsPerDay / options.halfLifeDays);
  return weights;
}

/** Recency-weighted mean per time-of-day bin, then circular smoothing; empty bins borrow from neighbours. */
function dailyProfile(work: Float64Array, cal: CalendarGrid, binSeconds: number, recency: Float64Array): number[] {
  const bins = Math.max(1, Math.round(DAY_SECONDS / binSeconds));
  const sum = new Float64Array(bins);
  const weight = new Float64Array(bins);
  const n = work.length;
  for (let i = 0; i < n; i++) {
    const v = work[i] as number;
    if (!Number.isFinite(v)) continue;
    const w = recency[i] as number;
    const b = Math.min(bins - 1, Math.floor((cal.secondOfDay[i] as number) / binSeconds));
    sum[b] = (sum[b] as number) + w * v;
    weight[b] = (weight[b] as number) + w;
  }
  const half = Math.floor(Math.max(1, Math.round(SMOOTHING_SECONDS / binSeconds)) / 2);
  const smooth = smoothCircular(sum, weight, half);
  // The smoothing also flattens what recurs at the same minute every day (a 07:00 batch
  // job): that part is put back, as far as the days agree on it.
  const detail = recurringDetail(work, cal, bins, { binSeconds, halfWidth: half, weight: recency });
  return smooth.map((v, b) => v + (detail[b] as number));
}

function smoothCircular(sum: Float64Array, weight: Float64Array, half: number): number[] {
  const bins = sum.length;
  const out: number[] = new Array<number>(bins);
  let radius = half;
  for (let b = 0; b < bins; b++) {
    let s = 0;
    let w = 0;
    // Widen the window until it holds data, so a bin never seen still gets a value.
    for (radius = half; w === 0 && radius <= bins; radius = radius * 2 + 1) {
      s = 0;
      for (let k = -radius; k <= radius; k++) {
        const j = (((b + k) % bins) + bins) % bins;
        s += sum[j] as number;
        w += weight[j] as number;
      }
    }
    out[b] = w > 0 ? s / w : 0;
  }
  return out;
}

/** Mean residual per (day of week, hour block), shrunk toward 0 by how many days back it. */
function weeklyProfile(work: Float64Array, cal: CalendarGrid, blockSeconds: number, stepSeconds: number): number[] {
  const blocks = Math.max(1, Math.round(DAY_SECONDS / blockSeconds));
  const sum = new Float64Array(7 * blocks);
  const count = new Float64Array(7 * blocks);
  for (let i = 0; i < work.length; i++) {
    const v = work[i] as number;
    if (!Number.isFinite(v)) continue;
    const block = Math.min(blocks - 1, Math.floor((cal.secondOfDay[i] as number) / blockSeconds));
    const cell = (cal.dayOfWeek[i] as number) * blocks + block;
    sum[cell] = (sum[cell] as number) + v;
    count[cell] = (count[cell] as number) + 1;
  }
  const perOccurrence = Math.max(1, blockSeconds / stepSeconds);
  const out: number[] = [];
  for (let c = 0; c < 7 * blocks; c++) {
    const n = count[c] as number;
    if (n === 0) {
      out.push(0);
      continue;
    }
    const occurrences = n / perOccurrence;
    out.push(((sum[c] as number) / n) * (occurrences / (occurrences + 1)));
  }
  return out;
}
