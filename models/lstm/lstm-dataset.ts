import { calendarGrid } from '../core/calendar';
import type { RegularSeries } from '../core/forecaster';
import { interpolateGaps } from '../core/interpolate-gaps';
import { stepsPerDay } from '../core/series-stats';

/**
 * Turns a series into LSTM inputs and targets. Pure arithmetic on typed arrays, so the
 * same code builds training samples and the single input of a prediction.
 *
 * Scaling: load is non-negative with noise that grows with its level, so values are
 * log1p'd (identity when a value is negative), then standardised. At each origin t (the
 * first forecast step) the network sees, relative to the current level (mean of the last
 * block):
 *  - a sequence of `seqLen` block means covering the recent window, each with the local
 *    time of day and day of week (sin/cos) of the block's last step;
 *  - dense side inputs: for each horizon step, the value a day and a week before it
 *    (smoothed over a block), the level itself and the calendar of the first target.
 * Targets are the next `horizon` values minus the level (direct multi-horizon output).
 */
export interface LstmShape {
  /** Blocks in the input sequence. */
  seqLen: number;
  /** Steps averaged into one block (1 at coarse steps). */
  blockSize: number;
  /** Steps predicted at once. */
  horizon: number;
}

export interface LstmScaler {
  transform: 'log1p' | 'identity';
  mean: number;
  sd: number;
}

/** Features per sequence element: value, sin/cos time of day, sin/cos day of week. */
export const SEQ_FEATURES = 5;

export function auxSize(shape: LstmShape): number {
  return 2 * shape.horizon + 5;
}

export function fitScaler(values: ArrayLike<number>): LstmScaler {
  let negative = false;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) < 0) negative = true;
  const transform = negative ? 'identity' : 'log1p';
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const z = transform === 'log1p' ? Math.log1p(v) : v;
    sum += z;
    sq += z * z;
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  const sd = n > 1 ? Math.sqrt(Math.max(0, sq / n - mean * mean)) : 1;
  return { transform, mean, sd: Math.max(sd, 1e-6) };
}

export function toScaled(scaler: LstmScaler, v: number): number {
  return ((scaler.transform === 'log1p' ? Math.log1p(v) : v) - scaler.mean) / scaler.sd;
}

export function fromScaled(scaler: LstmScaler, s: number): number {
  const z = s * scaler.sd + scaler.mean;
  return scaler.transform === 'log1p' ? Math.max(0, Math.expm1(z)) : z;
}

/** A series prepared for feature extraction: scaled values (gaps filled) and calendar terms. */
export interface PreparedSeries {
  /** Scaled, gaps forward-filled. */
  filled: Float64Array;
  /** Scaled, gaps kept as NaN (targets). */
  raw: Float64Array;
  /** sin/cos of time of day and day of week per index, up to `length + horizon`. */
  calendar: Float32Array;
  stepsPerDay: number;
}

/**
 * Inputs inside a long outage (over an hour) that ends before the series does: the same time
 * a week (else a day) around it, not the last value carried for days, which would teach the
 * network, and feed its day- and week-before side inputs, a flat line (issue 15, item 6).
 * Short gaps and a trailing gap keep the carried value, as at a live origin.
 */
function fillLongGapsSeasonally(raw: Float64Array, filled: Float64Array, day: number): void {
  const maxLinearSteps = Math.max(3, Math.round(day / 24));
  const periods = raw.length >= 14 * day ? [7 * day, day] : [day];
  let seasonal: Float64Array | null = null;
  let start = -1;
  for (let i = 0; i < raw.length; i++) {
    const missing = !Number.isFinite(raw[i]);
    if (missing && start < 0) start = i;
    if (!missing && start >= 0) {
      if (start > 0 && i - start > maxLinearSteps) {
        seasonal ??= interpolateGaps(raw, raw.length, { periodSteps: periods, maxLinearSteps });
        filled.set(seasonal.subarray(start, i), start);
      }
      start = -1;
    }
  }
}

/**
 * The scaled, gap-filled series and its calendar features (through the horizon past its end).
 * @param calendarFrom first index whose calendar features are computed (the others stay 0): a
 *   caller that builds inputs at one origin only needs its last window's.
 */
export function prepare(series: RegularSeries, scaler: LstmScaler, shape: LstmShape, calendarFrom = 0): PreparedSeries {
  const n = series.values.length;
  const raw = new Float64Array(n);
  const filled = new Float64Array(n);
  let first = Number.NaN;
  for (let i = 0; i < n; i++) {
    raw[i] = toScaled(scaler, series.values[i] as number);
    if (Number.isNaN(first) && Number.isFinite(raw[i])) first = raw[i] as number;
  }
  let prev = Number.isFinite(first) ? first : 0;
  for (let i = 0; i < n; i++) {
    const v = raw[i] as number;
    if (Number.isFinite(v)) prev = v;
    filled[i] = prev;
  }
  fillLongGapsSeasonally(raw, filled, stepsPerDay(series.stepSeconds));
  const count = n + shape.horizon;
  const from = Math.min(Math.max(0, calendarFrom), count);
  const cal = calendarGrid(series.startMs + from * series.stepSeconds * 1000, series.stepSeconds, count - from, series.timezone);
  const calendar = new Float32Array(count * 4);
  for (let i = from; i < count; i++) {
    const day = (2 * Math.PI * (cal.secondOfDay[i - from] as number)) / 86_400;
    const week = (2 * Math.PI * ((cal.dayOfWeek[i - from] as number) + (cal.secondOfDay[i - from] as number) / 86_400)) / 7;
    calendar.set([Math.sin(day), Math.cos(day), Math.sin(week), Math.cos(week)], i * 4);
  }
  return { filled, raw, calendar, stepsPerDay: stepsPerDay(series.stepSeconds) };
}

/** The earliest origin with a full input window. */
export function firstOrigin(shape: LstmShape): number {
  return shape.seqLen * shape.blockSize;
}

function blockMean(values: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i] as number;
  return s / Math.max(1, to - from);
}

/** Value `lag` steps before `idx`, smoothed over a block, relative to `level`; 0 when out of range. */
function lagged(p: PreparedSeries, idx: number, lag: number, origin: number, half: number, level: number): number {
  let j = idx - lag;
  while (j >= origin) j -= lag;
  if (j < 0) return 0;
  const from = Math.max(0, j - half);
  const to = Math.min(origin, j + half + 1);
  return blockMean(p.filled, from, to) - level;
}

/**
 * Writes the inputs for origin `t` (needs t ≥ {@link firstOrigin}) into `seq` and `aux` at the
 * given offsets; returns the level the outputs are relative to.
 */
export function writeInputs(p: PreparedSeries, shape: LstmShape, t: number, seq: Float32Array, seqOffset: number, aux: Float32Array, auxOffset: number): number {
  const { seqLen, blockSize: b, horizon } = shape;
  const level = blockMean(p.filled, t - b, t);
  for (let j = 0; j < seqLen; j++) {
    const end = t - (seqLen - 1 - j) * b;
    const o = seqOffset + j * SEQ_FEATURES;
    seq[o] = blockMean(p.filled, end - b, end) - level;
    for (let c = 0; c < 4; c++) seq[o + 1 + c] = p.calendar[(end - 1) * 4 + c] as number;
  }
  const day = p.stepsPerDay;
  const week = 7 * day;
  const half = Math.floor(b / 2);
  for (let h = 0; h < horizon; h++) {
    const idx = t + h;
    const d = lagged(p, idx, day, t, half, level);
    aux[auxOffset + h] = d;
    aux[auxOffset + horizon + h] = idx - week >= 0 ? lagged(p, idx, week, t, half, level) : d;
  }
  const o = auxOffset + 2 * horizon;
  aux[o] = level;
  for (let c = 0; c < 4; c++) aux[o + 1 + c] = p.calendar[t * 4 + c] as number;
  return level;
}

export interface SampleSet {
  origins: number[];
  seq: Float32Array;
  aux: Float32Array;
  /** Targets relative to each origin's level (NaN where the actual is missing). */
  target: Float32Array;
}

/** Inputs and targets for the given origins (each needs `origin + horizon ≤ length`). */
export function buildSamples(p: PreparedSeries, shape: LstmShape, origins: readonly number[]): SampleSet {
  const n = origins.length;
  const a = auxSize(shape);
  const seq = new Float32Array(n * shape.seqLen * SEQ_FEATURES);
  const aux = new Float32Array(n * a);
  const target = new Float32Array(n * shape.horizon);
  origins.forEach((t, k) => {
    const level = writeInputs(p, shape, t, seq, k * shape.seqLen * SEQ_FEATURES, aux, k * a);
    for (let h = 0; h < shape.horizon; h++) target[k * shape.horizon + h] = (p.raw[t + h] as number) - level;
  });
  return { origins: [...origins], seq, aux, target };
}

/** Training origins whose targets are all observed, at most `max`, evenly spread and newest kept. */
export function trainingOrigins(p: PreparedSeries, shape: LstmShape, max: number): number[] {
  const last = p.raw.length - shape.horizon;
  const first = firstOrigin(shape);
  const all: number[] = [];
  for (let t = first; t <= last; t++) {
    let ok = true;
    for (let h = 0; h < shape.horizon && ok; h++) ok = Number.isFinite(p.raw[t + h]);
    if (ok) all.push(t);
  }
  if (all.length <= max) return all;
  const stride = all.length / max;
  const picked: number[] = [];
  for (let k = max - 1; k >= 0; k--) picked.push(all[all.length - 1 - Math.floor(k * stride)] as number);
  return picked;
}
