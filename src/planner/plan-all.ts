import type { DemandNeed } from './demand';
import { desiredSteps } from './desired-steps';
import { planGrid } from './plan-grid';
import type { PlanAllInput, PlanStep, PoolPlan } from './plan-types';
import { applyCrossPoolQuotas } from './quotas';
import { type PlanReason, num, reason } from './reasons';
import { type StabilizerState, initialStabilizerState, stabilizeStep } from './stabilize';

/**
 * Plans every pool on one time grid under shared quotas. Steps are walked in time order;
 * at each step every pool's desired value goes through its stabilizer (gradual scale-down)
 * and `maxStepUp`, then the GPU and cost quotas are shared out by priority, then
 * proportionally. Quotas are applied last, so no step of any plan exceeds any quota.
 * Pure: a function of `input` and `nowMs`. Cost: O(pools × steps × lead window).
 */
export function planAll(input: PlanAllInput, nowMs: number): PoolPlan[] {
  const grid = planGrid(nowMs, input);
  const { quotas } = input;
  const desired = input.pools.map((p) => desiredSteps(p, grid, quotas));
  const states: StabilizerState[] = input.pools.map((p) => initialStabilizerState(p.currentReplicas ?? null));
  const plans: PoolPlan[] = input.pools.map((p) => ({ pool: p.pool.name, steps: [] as PlanStep[] }));
  for (let s = 0; s < grid.length; s++) {
    const t = grid[s] as number;
    const limited = input.pools.map((p, i) => {
      const want = (desired[i] as DemandNeed[])[s] as DemandNeed;
      const state = states[i] as StabilizerState;
      const last = state.lastReplicas;
      const stable = stabilizeStep(state, want.replicas, t, p.pool.scaleDown);
      states[i] = stable.state;
      let why: PlanReason = want.reason;
      if (stable.heldBy !== null) {
        const by = stable.heldBy === 'window' ? `the ${p.pool.scaleDown.stabilizationWindowSeconds}s stabilization window` : `maxStepDown ${p.pool.scaleDown.maxStepDown}`;
        why = reason('stabilize', () => `scale-down held at ${stable.replicas} by ${by} (desired ${want.replicas}: ${want.reason.term})`, {
          desired: want.replicas,
          previous: last ?? 0,
          stabilizationWindowSeconds: p.pool.scaleDown.stabilizationWindowSeconds,
          maxStepDown: p.pool.scaleDown.maxStepDown,
        });
      }
      let replicas = stable.replicas;
      // Scale-down from a current count above maxReplicas is not gradual: the per-pool max is a quota.
      if (replicas > p.pool.maxReplicas) {
        const asked = replicas;
        const term = why.term;
        why = reason('quota:maxReplicas', () => `cut from ${asked} (${term}) to maxReplicas ${p.pool.maxReplicas}`, { limit: p.pool.maxReplicas, asked });
        replicas = p.pool.maxReplicas;
      }
      if (quotas.maxStepUp !== undefined && last !== null && replicas > last + quotas.maxStepUp) {
        const cap = last + quotas.maxStepUp;
        const asked = replicas;
        const term = why.term;
        const limit = quotas.maxStepUp;
        why = reason('quota:maxStepUp', () => `cut from ${asked} (${term}) to ${cap}: at most +${limit} per step from ${last}`, {
          limit: quotas.maxStepUp,
          asked: replicas,
          previous: last,
        });
        replicas = cap;
      }
      return { replicas, why };
    });
    const grants = applyCrossPoolQuotas(
      limited.map((l, i) => {
        const pool = (input.pools[i] as (typeof input.pools)[number]).pool;
        return { replicas: l.replicas, priority: pool.priority, gpusPerReplica: pool.gpusPerReplica, costPerReplicaHour: pool.costPerReplicaHour };
      }),
      quotas,
    );
    grants.forEach((g, i) => {
      const l = limited[i] as (typeof limited)[number];
      let why = l.why;
      if (g.cutBy) {
        const cutBy = g.cutBy;
        const granted = g.replicas;
        why = reason(cutBy.term, () => `cut from ${cutBy.asked} (${l.why.term}) to ${granted}: total limit ${num(cutBy.limit)}, shared by priority then proportionally`, {
          limit: g.cutBy.limit,
          asked: g.cutBy.asked,
        });
      }
      // The next step's scale-down and step-up start from what was actually planned.
      states[i] = { ...(states[i] as StabilizerState), lastReplicas: g.replicas };
      (plans[i] as PoolPlan).steps.push({ t, replicas: g.replicas, reason: why });
    });
  }
  return plans;
}
