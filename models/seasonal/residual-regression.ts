import { errorGrid } from '../core/quantile-grid';

/**
 * Direct multi-horizon regression of the deseasonalised residual: for each step ahead h,
 * r(t+h) ≈ β_h · [1, r(t), mean of the last kShort, mean of the last kLong, recent slope].
 * One small least-squares fit per h captures level persistence, the decay of a deviation
 * back to the profile and a short-term trend, without the error build-up of iterating a
 * one-step model; the in-sample errors of each h give that horizon's interval.
 */
export interface ResidualRegression {
  /** coefficients[h-1] = β_h. */
  coefficients: number[][];
  /** errorGrids[h-1] = quantiles of the in-sample errors of horizon h. */
  errorGrids: number[][];
  kShort: number;
  kLong: number;
}

const FEATURES = 5;
const RIDGE = 1e-6;

/** Feature vector at origin `t` (inclusive), or null when the window holds no data. */
export function featuresAt(r: Float64Array, t: number, kShort: number, kLong: number): number[] | null {
  const last = lastFinite(r, t, kShort);
  if (last === null) return null;
  const short = windowMean(r, t, kShort);
  const long = windowMean(r, t, kLong);
  const earlier = windowMean(r, t - kShort, kShort);
  const slope = short !== null && earlier !== null ? short - earlier : 0;
  return [1, last, short ?? last, long ?? last, slope];
}

function lastFinite(r: Float64Array, t: number, within: number): number | null {
  for (let i = t; i > t - within && i >= 0; i--) if (Number.isFinite(r[i])) return r[i] as number;
  return null;
}

function windowMean(r: Float64Array, t: number, k: number): number | null {
  let s = 0;
  let n = 0;
  for (let i = t; i > t - k && i >= 0; i--) {
    const v = r[i] as number;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : null;
}

/**
 * Fits β_h for h = 1…horizonSteps on residuals `r` (NaN = missing). Returns null with too few samples.
 * The features of every origin are computed once into one flat array; each horizon then
 * accumulates only the upper triangle of XᵀX (the same sums, in the same order, as the full
 * matrix) and sorts its errors in a typed array.
 */
export function fitResidualRegression(
  r: Float64Array,
  horizonSteps: number,
  windows: { kShort: number; kLong: number },
): ResidualRegression | null {
  const { kShort, kLong } = windows;
  const n = r.length;
  const origins: number[] = [];
  const flat: number[] = [];
  for (let t = kLong; t < n - 1; t++) {
    const x = featuresAt(r, t, kShort, kLong);
    if (x) {
      origins.push(t);
      for (const v of x) flat.push(v);
    }
  }
  if (origins.length < 30 + horizonSteps) return null;
  const feats = Float64Array.from(flat);
  const errors = new Float64Array(origins.length);
  const coefficients: number[][] = [];
  const errorGrids: number[][] = [];
  for (let h = 1; h <= horizonSteps; h++) {
    const xtx = new Float64Array(FEATURES * FEATURES);
    const xty = new Float64Array(FEATURES);
    let used = 0;
    for (let j = 0; j < origins.length; j++) {
      const t = (origins[j] as number) + h;
      if (t >= n) break;
      const y = r[t] as number;
      if (!Number.isFinite(y)) continue;
      accumulateUpper(xtx, xty, feats, j * FEATURES, y);
      used++;
    }
    mirrorLower(xtx);
    const beta = used >= FEATURES * 4 ? solveRidge(xtx, xty) : [0, 1, 0, 0, 0];
    coefficients.push(beta);
    let e = 0;
    for (let j = 0; j < origins.length; j++) {
      const t = (origins[j] as number) + h;
      if (t >= n) break;
      const y = r[t] as number;
      if (Number.isFinite(y)) errors[e++] = y - dotAt(beta, feats, j * FEATURES);
    }
    errorGrids.push(errorGrid(errors.subarray(0, e)));
  }
  return { coefficients, errorGrids, kShort, kLong };
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** β · the features at `at` in the flat array: the same products, in the same order, as `dot`. */
function dotAt(beta: readonly number[], feats: Float64Array, at: number): number {
  let s = 0;
  for (let i = 0; i < FEATURES; i++) s += (beta[i] as number) * (feats[at + i] as number);
  return s;
}

/** Adds one origin to XᵀX (upper triangle, i ≤ j) and Xᵀy. */
function accumulateUpper(xtx: Float64Array, xty: Float64Array, feats: Float64Array, at: number, y: number): void {
  for (let i = 0; i < FEATURES; i++) {
    const xi = feats[at + i] as number;
    xty[i] = (xty[i] as number) + xi * y;
    for (let j = i; j < FEATURES; j++) xtx[i * FEATURES + j] = (xtx[i * FEATURES + j] as number) + xi * (feats[at + j] as number);
  }
}

/** Copies the upper triangle onto the lower: xi·xj = xj·xi exactly, so the matrix is the one full accumulation gives. */
function mirrorLower(xtx: Float64Array): void {
  for (let i = 1; i < FEATURES; i++) for (let j = 0; j < i; j++) xtx[i * FEATURES + j] = xtx[j * FEATURES + i] as number;
}

/** Solves (XᵀX + λI)β = Xᵀy by Gaussian elimination with partial pivoting. */
function solveRidge(xtx: Float64Array, xty: Float64Array): number[] {
  const m = FEATURES;
  let trace = 0;
  for (let i = 0; i < m; i++) trace += xtx[i * m + i] as number;
  const lambda = RIDGE * (trace / m + 1);
  const a: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) row.push((xtx[i * m + j] as number) + (i === j ? lambda : 0));
    row.push(xty[i] as number);
    a.push(row);
  }
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let i = col + 1; i < m; i++) if (Math.abs(a[i]![col]!) > Math.abs(a[pivot]![col]!)) pivot = i;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let i = 0; i < m; i++) {
      if (i === col) continue;
      const f = a[i]![col]! / p;
      if (f === 0) continue;
      for (let j = col; j <= m; j++) a[i]![j] = a[i]![j]! - f * a[col]![j]!;
    }
  }
  return a.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[m]! / row[i]!));
}
