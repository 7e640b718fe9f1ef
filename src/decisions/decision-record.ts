import type { TargetKind } from '../actuator/kube-api';

/**
 * What became of a decision:
 * - `written`: the actuator wrote the new value (actuate mode);
 * - `dry-run`: the value would have been written (dry-run mode; nothing is written);
 * - `advisory`: the value would have been written (advisory mode; recorded for the report);
 * - `skipped`: the plan changed but the target cannot take it (its own max, e.g. an HPA's `maxReplicas`);
 * - `conflict`: the target kept changing under us (409 Conflict after every retry of the round);
 * - `failed`: the API refused or could not be reached; the next round tries again.
 */
export type DecisionOutcome = 'written' | 'dry-run' | 'advisory' | 'skipped' | 'conflict' | 'failed';

export const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['written', 'dry-run', 'advisory', 'skipped', 'conflict', 'failed'];

/** The guard quotas at the decision: the limits configured or read, and what the plan used of them at that step. */
export interface QuotaState {
  maxGpus: number | null;
  maxCostPerHour: number | null;
  maxStepUp: number | null;
  /** GPUs the namespace ResourceQuota left to the pools, when read. */
  resourceQuotaGpus: number | null;
  /** GPUs all pools' plans ask for at this step. */
  plannedGpus: number;
  /** Cost per hour all pools' plans ask for at this step. */
  plannedCostPerHour: number;
}

/** Everything the decision was made from (docs/advisory.md lists the fields). */
export interface DecisionInputs {
  series: string;
  /** The model that produced the forecast; null when the series had no forecast. */
  model: string | null;
  /** When that forecast was made (ISO 8601), which identifies its version; null when none. */
  forecastAt: string | null;
  quantile: number;
  /** Why that quantile (the configured `pools[].quantile`, or a reason the planner gives). */
  quantileReason: string;
  leadTimeSeconds: number;
  /** The latest observed demand of the series and when it was observed; null when none. */
  observedDemand: number | null;
  observedAt: string | null;
  /** The replicas the forecast alone asks for at this step (before floors, holds and quotas). */
  forecastReplicas: number | null;
  /** True when the series was stale (serving fell back). */
  stale: boolean;
  quotas: QuotaState;
  /** The plan step's deciding term (`forecast`, `event`, `quota:maxGpus`, …), its line and numbers. */
  boundBy: { term: string; detail: string; values: Readonly<Record<string, number>> };
}

/** One decision: a plan step that changed (or in advisory/dry-run mode would change) a target. */
export interface DecisionRecord {
  /** ULID-shaped, sortable by time (`DecisionIds`). */
  id: string;
  /** ISO 8601 time of the decision. */
  time: string;
  pool: string;
  mode: 'actuate' | 'dry-run' | 'advisory';
  target: { kind: TargetKind; namespace: string; name: string; field: string };
  /** The step the decision applies (ISO 8601). */
  stepTime: string;
  /** The target's value before, as read; null when it could not be read. */
  from: number | null;
  /** The planned value (bounded by the target's own max). */
  to: number;
  outcome: DecisionOutcome;
  /** The instance that decided. */
  who: string;
  error?: string;
  inputs: DecisionInputs;
}
