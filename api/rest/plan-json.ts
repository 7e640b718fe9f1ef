import type { PlanStep } from '../../src/planner/plan-types';
import type { PlanSet, PoolPlanView } from '../../src/planner/plan-service';

/** One plan step on the wire: `reason` names the deciding term; `detail` and `values` are the numbers behind it. */
export interface PlanStepJson {
  t: string;
  replicas: number;
  reason: string;
  detail: string;
  values: Readonly<Record<string, number>>;
}

export interface PoolPlanJson {
  pool: string;
  forecast: PoolPlanView['forecast'];
  steps: PlanStepJson[];
}

/** `{ generatedAt, step, horizon, pools: [ { pool, forecast, steps: [ { t, replicas, reason, … } ] } ] }` */
export interface PlanSetJson {
  generatedAt: string;
  step: number;
  horizon: number;
  pools: PoolPlanJson[];
}

export function stepJson(s: PlanStep): PlanStepJson {
  return { t: new Date(s.t).toISOString(), replicas: s.replicas, reason: s.reason.term, detail: s.reason.detail, values: s.reason.values };
}

export function poolPlanJson(view: PoolPlanView): PoolPlanJson {
  return { pool: view.pool, forecast: view.forecast, steps: view.steps.map(stepJson) };
}

export function planSetJson(set: PlanSet): PlanSetJson {
  return { generatedAt: new Date(set.generatedAtMs).toISOString(), step: set.stepSeconds, horizon: set.horizonSeconds, pools: set.pools.map(poolPlanJson) };
}
