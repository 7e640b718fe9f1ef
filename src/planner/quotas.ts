import type { Quotas } from './plan-types';
import type { QuotaTerm } from './reasons';

/** One pool's ask at one step, for a shared cap measured in `weightPerReplica` units (GPUs, cost/h). */
export interface AllocationRequest {
  replicas: number;
  priority: number;
  weightPerReplica: number;
}

/**
 * Grants replicas under a shared cap: by priority (higher first), and within the priority
 * level that the cap cuts, in proportion to what each pool asked for (largest remainders
 * get the whole replicas that still fit). Once a level is cut, lower levels get nothing
 * that costs weight, so a lower-priority pool never holds capacity a higher one wanted.
 * Requests of weight 0 are always granted. Pure; the result never exceeds the cap.
 */
export function allocateByPriority(requests: readonly AllocationRequest[], cap: number): number[] {
  const granted = requests.map((r) => (r.weightPerReplica > 0 ? 0 : r.replicas));
  const levels = [...new Set(requests.map((r) => r.priority))].sort((a, b) => b - a);
  let remaining = Math.max(0, cap);
  for (const level of levels) {
    const members = requests.map((r, i) => ({ r, i })).filter(({ r }) => r.priority === level && r.weightPerReplica > 0 && r.replicas > 0);
    const need = members.reduce((sum, { r }) => sum + r.replicas * r.weightPerReplica, 0);
    if (need <= remaining + 1e-9) {
      for (const { r, i } of members) granted[i] = r.replicas;
      remaining -= need;
      continue;
    }
    const share = remaining / need;
    const fractions: { i: number; frac: number; r: AllocationRequest }[] = [];
    for (const { r, i } of members) {
      const exact = r.replicas * share;
      const whole = Math.floor(exact + 1e-9);
      granted[i] = whole;
      remaining -= whole * r.weightPerReplica;
      fractions.push({ i, frac: exact - whole, r });
    }
    fractions.sort((a, b) => b.frac - a.frac || a.i - b.i);
    for (const { i, r } of fractions) {
      if ((granted[i] as number) < r.replicas && r.weightPerReplica <= remaining + 1e-9) {
        granted[i] = (granted[i] as number) + 1;
        remaining -= r.weightPerReplica;
      }
    }
    break; // this level was cut: lower levels get no weighted capacity
  }
  return granted;
}

/** A pool's needs at one step, as the cross-pool quotas see it. */
export interface StepAsk {
  replicas: number;
  priority: number;
  gpusPerReplica: number;
  costPerReplicaHour: number;
}

export interface StepGrant {
  replicas: number;
  /** The last quota that lowered the value, with its limit; absent when none did. */
  cutBy?: { term: QuotaTerm; limit: number; asked: number };
}

/**
 * Applies the cross-pool quotas of one step: total GPUs (the tighter of `maxGpus` and the
 * namespace ResourceQuota), then total cost per hour. Pure.
 */
export function applyCrossPoolQuotas(asks: readonly StepAsk[], quotas: Quotas): StepGrant[] {
  const grants: StepGrant[] = asks.map((a) => ({ replicas: a.replicas }));
  const gpuCaps: { term: QuotaTerm; cap: number }[] = [];
  if (quotas.maxGpus !== undefined) gpuCaps.push({ term: 'quota:maxGpus', cap: quotas.maxGpus });
  if (quotas.resourceQuotaGpus !== undefined) gpuCaps.push({ term: 'quota:resourceQuota', cap: quotas.resourceQuotaGpus });
  // The tighter GPU cap decides; on a tie the configured maxGpus is named.
  const gpu = gpuCaps.sort((a, b) => a.cap - b.cap)[0];
  if (gpu !== undefined) cut(grants, asks, gpu.term, gpu.cap, (a) => a.gpusPerReplica);
  if (quotas.maxCostPerHour !== undefined) cut(grants, asks, 'quota:maxCostPerHour', quotas.maxCostPerHour, (a) => a.costPerReplicaHour);
  return grants;
}

function cut(grants: StepGrant[], asks: readonly StepAsk[], term: QuotaTerm, cap: number, weight: (a: StepAsk) => number): void {
  const total = grants.reduce((sum, g, i) => sum + g.replicas * weight(asks[i] as StepAsk), 0);
  if (total <= cap + 1e-9) return;
  const allowed = allocateByPriority(
    grants.map((g, i) => ({ replicas: g.replicas, priority: (asks[i] as StepAsk).priority, weightPerReplica: weight(asks[i] as StepAsk) })),
    cap,
  );
  grants.forEach((g, i) => {
    const a = allowed[i] as number;
    if (a < g.replicas) {
      g.cutBy = { term, limit: cap, asked: g.replicas };
      g.replicas = a;
    }
  });
}
