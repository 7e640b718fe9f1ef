import type { PlanStep } from './plan-types';
import { reason } from './reasons';

/**
 * While the trust gate holds a pool's series at the reactive demand (docs/accuracy.md: the
 * peak observation over the observation-floor window), the load the plan sized on is not
 * the forecast: every step the load decided says so (term `trust-fallback`, with the gate's
 * line). Steps decided by another term (a floor, a quota, stabilization) keep their reason. Pure.
 */
export function markTrustFallback(steps: PlanStep[], detail: string): PlanStep[] {
  return steps.map((s) =>
    s.reason.term === 'forecast' ? { ...s, reason: reason('trust-fallback', () => `${s.reason.detail} (the reactive demand, not the forecast: ${detail})`, s.reason.values) } : s,
  );
}
