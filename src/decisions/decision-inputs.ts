import type { PoolConfig, QuotasConfig } from '../config/planner-schema';
import type { PublishedForecast } from '../forecast/published-forecast';
import { demandNeeds } from '../planner/demand';
import { quantileSeries, toPoolSpec } from '../planner/planner-inputs';
import type { PlanContext, PlanSet, PoolPlanView } from '../planner/plan-service';
import type { PlanStep } from '../planner/plan-types';
import type { DecisionInputs, QuotaState } from './decision-record';

export interface DecisionInputFacts {
  pool: PoolConfig;
  /** Every pool's config (the quota state sums what all pools plan at the step). */
  pools: readonly PoolConfig[];
  quotas: QuotasConfig;
  set: PlanSet;
  view: PoolPlanView;
  step: PlanStep;
  context: PlanContext;
  /** The forecast the plan read for the pool's series; null when it had none. */
  forecast: PublishedForecast | null;
}

/**
 * The inputs of one decision, from the plan step and what the plan was made of. Pure. The
 * replicas the forecast alone asks for are recomputed with the planner's own `demandNeeds`, so
 * an explanation can say how far floors, holds and quotas moved the value from it.
 */
export function decisionInputs(f: DecisionInputFacts): DecisionInputs {
  const { view, step, forecast } = f;
  const info = view.forecast as PoolPlanView['forecast'] & { quantileReason?: string };
  return {
    series: info.series,
    model: info.model,
    forecastAt: forecast ? new Date(forecast.generatedAtMs).toISOString() : null,
    quantile: info.quantile,
    // The planner may say why it chose the quantile (a newsvendor ratio); otherwise it is the configured one.
    quantileReason: typeof info.quantileReason === 'string' ? info.quantileReason : `pools[].quantile of pool "${f.pool.name}" in the config`,
    leadTimeSeconds: f.pool.leadTime,
    observedDemand: forecast ? forecast.lastObserved.v : null,
    observedAt: forecast ? new Date(forecast.lastObserved.t).toISOString() : null,
    forecastReplicas: forecastReplicasAt(f.pool, forecast, step.t),
    stale: info.stale,
    quotas: quotaStateAt(f.set, f.pools, f.quotas, f.context, step.t),
    boundBy: { term: step.reason.term, detail: step.reason.detail, values: step.reason.values },
  };
}

/** The replicas the forecast alone asks for at `tMs` (load peak over the lead time, with headroom); null without a forecast. */
export function forecastReplicasAt(pool: PoolConfig, forecast: PublishedForecast | null, tMs: number): number | null {
  if (!forecast || forecast.points.length === 0) return null;
  const [need] = demandNeeds(toPoolSpec(pool), [tMs], quantileSeries(forecast, pool.quantile));
  return need ? need.replicas : null;
}

/** The quota limits and what all pools' plans use of them at the step that holds `tMs`. */
export function quotaStateAt(set: PlanSet, pools: readonly PoolConfig[], quotas: QuotasConfig, context: PlanContext, tMs: number): QuotaState {
  let gpus = 0;
  let cost = 0;
  for (const view of set.pools) {
    const cfg = pools.find((p) => p.name === view.pool);
    const step = stepAt(view.steps, tMs);
    if (!cfg || !step) continue;
    gpus += step.replicas * cfg.gpusPerReplica;
    cost += step.replicas * cfg.costPerReplicaHour;
  }
  return {
    maxGpus: quotas.maxGpus ?? null,
    maxCostPerHour: quotas.maxCostPerHour ?? null,
    maxStepUp: quotas.maxStepUp ?? null,
    resourceQuotaGpus: context.resourceQuotaGpus ?? null,
    plannedGpus: gpus,
    plannedCostPerHour: cost,
  };
}

/** The step in force at `tMs`: the last step at or before it; null before the first. */
export function stepAt(steps: readonly PlanStep[], tMs: number): PlanStep | null {
  let found: PlanStep | null = null;
  for (const s of steps) {
    if (s.t > tMs) break;
    found = s;
  }
  return found;
}
