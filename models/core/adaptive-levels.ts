/**
 * Adaptive conformal inference (Gibbs & Candès, "Adaptive Conformal Inference Under
 * Distribution Shift", NeurIPS 2021, https://arxiv.org/abs/2106.00170) on a model's own
 * quantiles: for each target level q the model is asked for an effective level instead, and
 * after each observed outcome the effective miss rate α_t moves by γ·(α − miss_t), where α is
 * the target miss rate (1 − q above the median, q below). A model whose intervals were too
 * narrow after a level shift is asked for wider ones until its misses fall back to α; one
 * too wide is asked for narrower ones. Pure state, so serving (`condition`) and the backtest
 * (rolling origins) update it the same way.
 *
 * A level cannot go past the model's own tails (α_t is kept ≥ 0.002), and after a level shift
 * a model's 0.998 quantile can still sit below the new load. So each level also carries an
 * additive shift, in units of the recent absolute error of the median, moved by the same
 * miss error (quantile tracking, the P term of conformal PID control: Angelopoulos, Candès &
 * Tibshirani 2023, https://arxiv.org/abs/2307.16895). It absorbs what the level cannot.
 */

/** Levels tracked by default: the planner's usual quantiles and their mirror images. */
export const TRACKED_LEVELS: readonly number[] = [0.05, 0.1, 0.25, 0.75, 0.9, 0.95];
/** Step size of α per observed step (set on the level-shift test of test/models/core, one trace, not per trace). */
export const DEFAULT_GAMMA = 0.02;
/** Effective miss rates stay within this range, so a level never crosses the median nor reaches 0 or 1. */
const MIN_MISS = 0.002;
const MAX_MISS = 0.5;
/** Most steps one update counts for: one update never moves α by more than this share of its error. */
const MAX_STEP_SHARE = 0.5;
/** Shift per observed step and unit of miss error, in units of the median's recent absolute error. */
const SHIFT_RATE = 0.3;
/** Most one update moves a shift, in those units. */
const MAX_SHIFT_STEP = 1;
/** Weight per observed step of the newest absolute error in the error scale (an EWMA). */
const SCALE_RATE = 0.2;

export interface AdaptiveLevels {
  readonly gamma: number;
  /** Target level (keyed `String(level)`) → effective miss rate α_t asked of the model. */
  readonly miss: Readonly<Record<string, number>>;
  /** Target level key → additive shift away from the median, in units of `scale` (≥ 0). Absent in older artifacts. */
  readonly shift?: Readonly<Record<string, number>>;
  /** Recent mean absolute error of the median forecast (0 until an outcome is scored). */
  readonly scale?: number;
}

/** What one update learns: per level key the share of outcomes beyond it, and the median's mean absolute error. */
export interface LevelOutcome {
  readonly missRates: Readonly<Record<string, number>>;
  readonly medianAbsError?: number;
}

export function initialLevels(levels: readonly number[] = TRACKED_LEVELS, gamma = DEFAULT_GAMMA): AdaptiveLevels {
  const miss: Record<string, number> = {};
  const shift: Record<string, number> = {};
  for (const q of levels) {
    miss[String(q)] = targetMiss(q);
    shift[String(q)] = 0;
  }
  return { gamma, miss, shift, scale: 0 };
}

/** The additive offset of level q's forecast (signed: up above the median, down below), in the series' units. */
export function levelOffset(state: AdaptiveLevels, level: number): number {
  if (level === 0.5) return 0;
  const shift = state.shift ?? {};
  const upper = level > 0.5;
  // Between tracked levels, the nearest tracked level on the same side lends its shift.
  let best: { d: number; s: number } = { d: Infinity, s: 0 };
  for (const [key, s] of Object.entries(shift)) {
    const q = Number(key);
    if (q > 0.5 !== upper) continue;
    const d = Math.abs(q - level);
    if (d < best.d) best = { d, s };
  }
  return (upper ? 1 : -1) * best.s * (state.scale ?? 0);
}

/** The target miss rate of level q: the share of outcomes expected beyond it, on its side of the median. */
export function targetMiss(level: number): number {
  return level > 0.5 ? 1 - level : level;
}

/** Whether outcome `actual` fell beyond the forecast `value` of level q, on its side of the median. */
export function missed(level: number, value: number, actual: number): boolean {
  return level > 0.5 ? actual > value : actual < value;
}

/**
 * One ACI step. `missRate` is the share of the newly observed outcomes beyond the level's
 * forecast; `steps` how many steps of observation they stand for (a rolling-origin backtest
 * scores one origin per stride of steps, serving one per refresh), capped so one update moves
 * α by at most half of its error.
 */
export function updateLevels(state: AdaptiveLevels, outcome: LevelOutcome, steps = 1): AdaptiveLevels {
  const n = Math.max(0, steps);
  const weight = Math.min(state.gamma * n, MAX_STEP_SHARE);
  const shiftWeight = Math.min(SHIFT_RATE * n, MAX_SHIFT_STEP / 0.9);
  const miss: Record<string, number> = { ...state.miss };
  const shift: Record<string, number> = { ...(state.shift ?? {}) };
  const e = outcome.medianAbsError;
  const old = state.scale ?? 0;
  const scale = e === undefined || !Number.isFinite(e) ? old : old > 0 ? old + Math.min(SCALE_RATE * n, 1) * (e - old) : e;
  for (const [key, rate] of Object.entries(outcome.missRates)) {
    const alpha = miss[key];
    if (alpha === undefined || !Number.isFinite(rate)) continue;
    const error = targetMiss(Number(key)) - rate;
    miss[key] = clamp(alpha + weight * error, MIN_MISS, MAX_MISS);
    // The shift widens while misses exceed α and relaxes back to zero once they do not.
    // In units of the error scale, so the shift follows the load's own size as it changes.
    shift[key] = Math.max(0, (shift[key] ?? 0) - shiftWeight * error);
  }
  return { gamma: state.gamma, miss, shift, scale };
}

/** Mean absolute error of a median forecast against the finite actuals (NaN when none). */
export function meanAbsError(median: readonly number[], actuals: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < actuals.length && i < median.length; i++) {
    const e = Math.abs((actuals[i] as number) - (median[i] as number));
    if (Number.isFinite(e)) {
      s += e;
      n++;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}

/**
 * The level to ask the model for, for target level q: tracked levels read their α_t; levels in
 * between are interpolated linearly (through 0.5 ↦ 0.5), so the map stays monotone.
 */
export function effectiveLevel(state: AdaptiveLevels, level: number): number {
  if (level === 0.5) return 0.5;
  const upper = level > 0.5;
  const points: [number, number][] = [[0.5, 0.5]];
  for (const [key, alpha] of Object.entries(state.miss)) {
    const q = Number(key);
    if (q > 0.5 === upper) points.push([q, upper ? 1 - alpha : alpha]);
  }
  points.push(upper ? [1, 1] : [0, 0]);
  points.sort((a, b) => a[0] - b[0]);
  // Keep the effective levels in the order of their targets.
  for (let i = 1; i < points.length; i++) points[i]![1] = Math.max(points[i]![1], points[i - 1]![1]);
  for (let i = 1; i < points.length; i++) {
    const [q0, e0] = points[i - 1]!;
    const [q1, e1] = points[i]!;
    if (level <= q1) return clamp(q1 === q0 ? e1 : e0 + ((e1 - e0) * (level - q0)) / (q1 - q0), 1e-4, 1 - 1e-4);
  }
  return clamp(level, 1e-4, 1 - 1e-4);
}

/**
 * The share of finite actuals beyond each tracked level's forecast.
 * @param quantiles per target level key, the forecast values aligned with `actuals`.
 */
export function missRatesOf(quantiles: Readonly<Record<string, readonly number[]>>, actuals: ArrayLike<number>): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const [key, values] of Object.entries(quantiles)) {
    let misses = 0;
    let n = 0;
    for (let i = 0; i < actuals.length && i < values.length; i++) {
      const y = actuals[i] as number;
      const v = values[i] as number;
      if (!Number.isFinite(y) || !Number.isFinite(v)) continue;
      n++;
      if (missed(Number(key), v, y)) misses++;
    }
    if (n > 0) rates[key] = misses / n;
  }
  return rates;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
