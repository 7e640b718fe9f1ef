import type { PlanReason } from './reasons';
import type { DemandSizing } from './sizing';

/** One value of a series at epoch ms `t` (a forecast quantile, or a forecast backlog). */
export interface SeriesPoint {
  t: number;
  value: number;
}

/**
 * A pool as the pure planner sees it: a Deployment (or HPA/ScaledObject target) that serves
 * one series. Durations in seconds, money in the config's currency per hour.
 */
export interface PoolSpec {
  name: string;
  /** Requests/s (in the series' unit) one replica serves at its SLO; > 0. */
  capacityPerReplica: number;
  /** Time from scale-up to Ready (node provisioning + model load). */
  leadTimeSeconds: number;
  /** Spare fraction on top of the load (0.15 = 15 %); ≥ 0. */
  headroom: number;
  minReplicas: number;
  /** The per-pool max (a guard quota: `quota:maxReplicas`). */
  maxReplicas: number;
  gpusPerReplica: number;
  costPerReplicaHour: number;
  /** Higher is more important (like a Kubernetes PriorityClass value). */
  priority: number;
  /** Cost of one under-provisioned replica-hour; when set the demand is the newsvendor quantile (`sizing.ts`). */
  underProvisionCost?: number;
  /** Gradual scale-down: the plan never drops below the highest desired value within the window, nor by more than `maxStepDown` per step. */
  scaleDown: { stabilizationWindowSeconds: number; maxStepDown: number };
  /** Present when the pool also drains a queue: backlog must be gone within `drainTimeSeconds`. */
  queue?: { drainTimeSeconds: number };
}

/** A floor on a pool's replicas during [startMs, endMs), from a recurring schedule or a one-off event. */
export interface FloorWindow {
  source: 'schedule' | 'event';
  name: string;
  startMs: number;
  endMs: number;
  replicas: number;
}

/** Cross-pool and per-step guard quotas. Absent fields do not bind. */
export interface Quotas {
  /** Total GPUs across all pools at any step. */
  maxGpus?: number | undefined;
  /** Total cost per hour across all pools at any step. */
  maxCostPerHour?: number | undefined;
  /** Largest increase of one pool's replicas from one step to the next (and from `currentReplicas`). */
  maxStepUp?: number | undefined;
  /** GPUs left in the namespace `ResourceQuota` (`requests.nvidia.com/gpu`), when actuating. */
  resourceQuotaGpus?: number | undefined;
}

/** The plan's time grid: steps at `stepSeconds` from the step that holds `now` to `now + horizonSeconds`. */
export interface PlanHorizon {
  stepSeconds: number;
  horizonSeconds: number;
}

/** Everything the planner needs about one pool, besides the time grid and the quotas. */
export interface PoolDemand {
  pool: PoolSpec;
  /** The forecast of the pool's series at the chosen quantile, on any regular step, ascending `t`. */
  demand: readonly SeriesPoint[];
  /** How `demand` was read from the forecast (which quantile and why), for the reasons; see `sizing.ts`. */
  sizing?: DemandSizing;
  /** The forecast backlog of the queue series (same units as demand × seconds), when `pool.queue` is set. */
  backlog?: readonly SeriesPoint[];
  /** Schedule and event floors for this pool (already expanded to windows). */
  floors?: readonly FloorWindow[];
  /** Replicas running now; the first step's scale-down and `maxStepUp` start from it. */
  currentReplicas?: number;
  /**
   * While the pool's input is stale: no step asks for fewer replicas (term `stale-hold`),
   * so stale input never scales the pool down (`staleHoldReplicas`). Quotas still cut it.
   */
  staleHold?: number;
}

/** Input of `planPool`: one pool, its time grid, and the quotas that bind it alone. */
export interface PoolPlanInput extends PlanHorizon, PoolDemand {
  quotas?: Quotas;
}

/** Input of `planAll`: every pool on one time grid, under shared quotas. */
export interface PlanAllInput extends PlanHorizon {
  pools: readonly PoolDemand[];
  quotas: Quotas;
}

export interface PlanStep {
  /** Epoch ms of the step. */
  t: number;
  replicas: number;
  reason: PlanReason;
}

export interface PoolPlan {
  pool: string;
  steps: PlanStep[];
}
