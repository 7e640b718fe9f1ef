import type { SeriesPoint } from './plan-types';
import { num } from './reasons';

/**
 * Which level of the forecast distribution a pool is sized at, and why: the text goes into
 * every forecast reason (`newsvendor q0.87 = u/(u+c) = 6.5/(6.5+1)`).
 */
export interface DemandSizing {
  /** The level read from the forecast (0–1), after clamping to the served range. */
  quantile: number;
  /** One line saying where the level comes from. */
  why: string;
}

/** The keys of a pool that choose its sizing level. */
export interface SizingKeys {
  quantile: number;
  costPerReplicaHour: number;
  underProvisionCost?: number | undefined;
  /**
   * The level decision calibration holds for a cost-aware pool (`pools[].calibrateDecisions`,
   * decision-calibration.ts), used instead of the newsvendor level; with how it got there.
   */
  calibrated?: CalibratedLevel | undefined;
}

/** A decision-calibrated level and the outcomes behind it. */
export interface CalibratedLevel {
  level: number;
  scored: number;
  missed: number;
  /** The miss rate the price asks for, c / (u + c). */
  missRate: number;
}

/**
 * The newsvendor (critical-fractile) level u / (u + c): with c the cost of a replica-hour that
 * turns out idle and u the cost of one missing, holding the q-quantile of demand minimises the
 * expected cost of the two (Arrow, Harris & Marschak 1951). Undefined when c is 0 (q = 1).
 */
export function newsvendorLevel(underProvisionCost: number, costPerReplicaHour: number): number {
  return underProvisionCost / (underProvisionCost + costPerReplicaHour);
}

/**
 * The sizing of a pool over a forecast that serves `served` quantile levels: the newsvendor
 * level clamped to the served range when `underProvisionCost` is set (a level beyond the
 * served ones would be an extrapolation the model never calibrated), else the pool's
 * `quantile` (the pre-cost-aware rule: one quantile plus headroom).
 */
export function demandSizing(keys: SizingKeys, served: readonly number[]): DemandSizing {
  const u = keys.underProvisionCost;
  if (u === undefined || !(keys.costPerReplicaHour > 0)) return { quantile: keys.quantile, why: `q${num(keys.quantile)} (pool quantile)` };
  const raw = newsvendorLevel(u, keys.costPerReplicaHour);
  const levels = [...served].sort((a, b) => a - b);
  const lo = levels[0] ?? raw;
  const hi = levels[levels.length - 1] ?? raw;
  const q = Math.min(hi, Math.max(lo, raw));
  const base = `newsvendor q${num(raw)} = u/(u+c) = ${num(u)}/(${num(u)}+${num(keys.costPerReplicaHour)})`;
  const c = keys.calibrated;
  if (c) {
    const level = Math.min(hi, Math.max(lo, c.level));
    const share = c.scored > 0 ? `${num((100 * c.missed) / c.scored)}% of ${c.scored} binding decisions missed` : 'no binding decision scored yet';
    return { quantile: level, why: `decision-calibrated q${num(level)}: ${share}, the price asks ${num(100 * c.missRate)}% (${base})` };
  }
  return { quantile: q, why: q === raw ? base : `${base}, clamped to the served q${num(q)}` };
}

/**
 * The value at `level` of one step's quantiles (keys `"0.5"`, `"0.9"`, …), linear between the
 * two served levels around it and clamped to the end levels outside them. Crossed quantiles
 * (a higher level with a lower value) are read as their running maximum, so the result never
 * decreases with the level. `fallback` (the point forecast) when no quantile is served.
 */
export function valueAtLevel(quantiles: Readonly<Record<string, number>>, level: number, fallback: number): number {
  const pts = Object.entries(quantiles)
    .map(([k, v]) => ({ q: Number(k), v }))
    .filter((p) => Number.isFinite(p.q) && Number.isFinite(p.v))
    .sort((a, b) => a.q - b.q);
  if (pts.length === 0) return fallback;
  for (let i = 1; i < pts.length; i++) (pts[i] as { v: number }).v = Math.max((pts[i] as { v: number }).v, (pts[i - 1] as { v: number }).v);
  const first = pts[0] as { q: number; v: number };
  const last = pts[pts.length - 1] as { q: number; v: number };
  if (level <= first.q) return first.v;
  if (level >= last.q) return last.v;
  let i = 1;
  while ((pts[i] as { q: number }).q < level) i++;
  const a = pts[i - 1] as { q: number; v: number };
  const b = pts[i] as { q: number; v: number };
  return a.v + ((b.v - a.v) * (level - a.q)) / (b.q - a.q);
}

/**
 * The served levels that {@link valueAtLevel} reads for `level`: the two around it, or the
 * nearest end one. A caller that computes quantiles on demand (the replay) asks only for these.
 */
export function levelsRead(served: readonly number[], level: number): number[] {
  const levels = [...new Set(served)].sort((a, b) => a - b);
  if (levels.length === 0) return [];
  if (level <= (levels[0] as number)) return [levels[0] as number];
  if (level >= (levels[levels.length - 1] as number)) return [levels[levels.length - 1] as number];
  const i = levels.findIndex((q) => q >= level);
  return levels[i] === level ? [level] : [levels[i - 1] as number, levels[i] as number];
}

/** The quantile levels a forecast's points serve (those of its first point). */
export function servedLevels(points: readonly { quantiles: Readonly<Record<string, number>> }[]): number[] {
  const first = points[0];
  return first ? Object.keys(first.quantiles).map(Number).filter(Number.isFinite) : [];
}

/**
 * The demand series a pool is sized from: every forecast point read at the sizing level.
 * The service (`PlanService`) and the replay (`simulate/policies/prescale-policy.ts`) both
 * call this, so a replay sizes exactly as the service does.
 */
export function sizedDemand(points: readonly { t: number; value: number; quantiles: Readonly<Record<string, number>> }[], keys: SizingKeys): { demand: SeriesPoint[]; sizing: DemandSizing } {
  const sizing = demandSizing(keys, servedLevels(points));
  return { demand: points.map((p) => ({ t: p.t, value: valueAtLevel(p.quantiles, sizing.quantile, p.value) })), sizing };
}
