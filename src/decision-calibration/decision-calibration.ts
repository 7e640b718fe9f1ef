import type { CalibratedLevel } from '../planner/sizing';
import type { Sample } from '../series/sample';

/**
 * Decision calibration (`pools[].calibrateDecisions`): the sizing level of a cost-aware pool
 * moved by how often the plan's own decisions turned out short, instead of fixed at the
 * newsvendor level.
 *
 * Why: the newsvendor level u / (u + c) minimises expected cost only if a decision sized at it
 * misses c / (u + c) of the time. A calibrated q0.9 does not give that at the decisions that
 * count. The plan matters only where it asks for more than the reactive term already holds.
 * Those steps are where the forecast rises, and the plan buys whole replicas. Measured on the
 * bench's ten traces, such decisions missed 0.1–4 % of the time on eight of them, against the
 * 10 % the price asks (docs/simulate.md, "Decision calibration").
 *
 * So a *binding* decision (plan above the reactive cover) is scored one lead time later against
 * the observed load, and the level moves by adaptive conformal inference (Gibbs & Candès 2021)
 * on those outcomes: up by `rate × (1 − α)` on a miss, down by `rate × α` on a cover, where α
 * is the newsvendor miss rate c / (u + c). Over many decisions the miss rate tends to α
 * whatever the forecast's bias on those steps. Pure: the service and the replay hold the state.
 */
export interface DecisionCalibrationState {
  /** The sizing level in force (0–1). */
  level: number;
  /** Binding decisions scored so far. */
  scored: number;
  /** Of those, how many had less capacity than the load one lead time later. */
  missed: number;
  /** Binding decisions not yet due, oldest first. */
  pending: PendingDecision[];
}

export interface PendingDecision {
  /** Epoch ms at which the decision's capacity is Ready: decided at + lead time. */
  dueMs: number;
  /** The load the decision covers: planned replicas × capacityPerReplica. */
  coveredLoad: number;
}

/** Where the level may move, and how fast. */
export interface DecisionCalibrationBounds {
  /** The miss rate the price asks for: c / (u + c). */
  missRate: number;
  /** Lowest and highest level (the served quantile range, and never below the median). */
  lowest: number;
  highest: number;
  /** ACI step per scored decision. */
  rate: number;
}

/**
 * ACI step per scored decision. 0.005, the value measured (docs/simulate.md): at a binding
 * decision a minute, the level can move by 0.1 in a few hours of misses, and a single miss moves
 * it by 0.0045.
 */
export const DECISION_CALIBRATION_RATE = 0.005;

/** The level never goes below the median: below it, the plan would bet on the load falling. */
export const DECISION_LEVEL_FLOOR = 0.5;

/**
 * Decisions waiting to be scored, at most. One is noted per plan step; a lead time of 30 steps
 * needs 30. Beyond this the oldest are dropped, unscored (a series whose samples stopped).
 */
export const MAX_PENDING_DECISIONS = 1000;

/** The miss rate the newsvendor rule asks of a decision: c / (u + c), one minus its level. */
export function newsvendorMissRate(underProvisionCost: number, costPerReplicaHour: number): number {
  return costPerReplicaHour / (underProvisionCost + costPerReplicaHour);
}

/** The bounds of a pool at its prices over the served levels. */
export function calibrationBounds(underProvisionCost: number, costPerReplicaHour: number, served: readonly number[]): DecisionCalibrationBounds {
  const missRate = newsvendorMissRate(underProvisionCost, costPerReplicaHour);
  const levels = served.filter(Number.isFinite);
  const highest = levels.length > 0 ? Math.max(...levels) : 1 - missRate;
  const lowest = Math.min(highest, Math.max(DECISION_LEVEL_FLOOR, levels.length > 0 ? Math.min(...levels) : DECISION_LEVEL_FLOOR));
  return { missRate, lowest, highest, rate: DECISION_CALIBRATION_RATE };
}

/** A fresh calibration at `level` (the newsvendor level, clamped to the bounds). */
export function startCalibration(level: number, bounds: DecisionCalibrationBounds): DecisionCalibrationState {
  return { level: clampLevel(level, bounds), scored: 0, missed: 0, pending: [] };
}

/**
 * Whether a decision binds: it asks for more replicas than the reactive cover,
 * ⌈(1 + headroom) × the recent peak / capacityPerReplica⌉, what an HPA on the load metric at a
 * target of capacityPerReplica / (1 + headroom) already holds. Only such a decision is the
 * plan's doing, so only those are scored.
 */
export function isBinding(d: { replicas: number; recentPeak: number; headroom: number; capacityPerReplica: number }): boolean {
  if (!Number.isFinite(d.recentPeak)) return false;
  const reactive = Math.ceil(((1 + d.headroom) * Math.max(0, d.recentPeak)) / d.capacityPerReplica - 1e-9);
  return d.replicas > reactive;
}

/**
 * Notes the decision of the plan step that starts at `stepStartMs`, due one lead time later;
 * only a binding one waits to be scored. The plan may be made again within its step (new
 * inputs): the last one of a step is the one that was in force, so it replaces the step's
 * earlier note, or withdraws it when it no longer binds.
 */
export function noteDecision(
  state: DecisionCalibrationState,
  d: { stepStartMs: number; leadSeconds: number; replicas: number; capacityPerReplica: number; binding: boolean },
): DecisionCalibrationState {
  const dueMs = d.stepStartMs + d.leadSeconds * 1000;
  const kept = state.pending.filter((p) => p.dueMs !== dueMs);
  if (!d.binding) return kept.length === state.pending.length ? state : { ...state, pending: kept };
  const pending = [...kept, { dueMs, coveredLoad: d.replicas * d.capacityPerReplica }].sort((a, b) => a.dueMs - b.dueMs);
  return { ...state, pending: pending.length > MAX_PENDING_DECISIONS ? pending.slice(pending.length - MAX_PENDING_DECISIONS) : pending };
}

/**
 * Scores every pending decision due at or before the observation against it (the first sample
 * at or after a decision's due time is the load it had to serve) and moves the level once per
 * scored decision. A non-finite observation scores nothing.
 */
export function scoreDecisions(state: DecisionCalibrationState, observed: Sample, bounds: DecisionCalibrationBounds): DecisionCalibrationState {
  if (!Number.isFinite(observed.v)) return state;
  const due = state.pending.filter((p) => p.dueMs <= observed.t);
  if (due.length === 0) return state;
  let { level, scored, missed } = state;
  for (const p of due) {
    // A hair of tolerance: a load of exactly k × capacity is served by k replicas.
    const miss = observed.v > p.coveredLoad * (1 + 1e-9);
    level = clampLevel(level + bounds.rate * ((miss ? 1 : 0) - bounds.missRate), bounds);
    scored++;
    if (miss) missed++;
  }
  return { level, scored, missed, pending: state.pending.filter((p) => p.dueMs > observed.t) };
}

/**
 * One read of the newest observation: a fresh calibration at the newsvendor level when there is
 * none yet, else the state with its level clamped to the bounds of now (the served levels may
 * have changed since a save), then scored against the observation. The service and the replay
 * both take this step before they size.
 */
export function calibrateAt(state: DecisionCalibrationState | null, bounds: DecisionCalibrationBounds, newest: Sample): DecisionCalibrationState {
  const current = state === null ? startCalibration(1 - bounds.missRate, bounds) : { ...state, level: clampLevel(state.level, bounds) };
  return scoreDecisions(current, newest, bounds);
}

/** The state as sizing, the plan view and the metrics show it. */
export function calibratedLevel(state: DecisionCalibrationState, missRate: number): CalibratedLevel {
  return { level: state.level, scored: state.scored, missed: state.missed, missRate };
}

function clampLevel(level: number, bounds: DecisionCalibrationBounds): number {
  return Math.min(bounds.highest, Math.max(bounds.lowest, level));
}
