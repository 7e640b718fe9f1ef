import type { RegularSeries } from '../../models/core/forecaster';
import type { HpaMetric } from '../hpa-controller';

/** The five policies the simulator compares, by their stable names. */
export type PolicyName = 'reactive-hpa' | 'schedule' | 'fixed' | 'prescale' | 'oracle';

/** What a policy may see at one sync: the present and the past, never the future. */
export interface TickContext {
  readonly nowMs: number;
  /** Index of the trace step that contains `nowMs`. */
  readonly stepIndex: number;
  /**
   * The trace up to and including the current step (demand is piecewise constant, so the
   * current step's value is the load right now). Later steps are not in the array at all.
   */
  readonly observed: RegularSeries;
  /** Load right now (`NaN` when the trace has no value for this step). */
  readonly load: number;
}

/**
 * How a policy acts: through the HPA (its External metrics, the controller does the rest),
 * or by setting replicas directly (fixed capacity, and the oracle as a bound on any controller).
 */
export type PolicyDecision =
  | {
      readonly kind: 'hpa';
      readonly metrics: readonly (HpaMetric | null)[];
      /** Replicas the forecast plan asks for (Prescale): the replica-hours up to it are "steady" cover, the rest burst cover. */
      readonly planReplicas?: number;
    }
  | { readonly kind: 'direct'; readonly replicas: number };

export interface ScalingPolicy {
  readonly name: PolicyName;
  /** Seconds of `behavior.scaleDown.stabilizationWindowSeconds` on this policy's HPA; 300 (the default) when absent. */
  readonly scaleDownStabilizationSeconds?: number;
  /** `behavior.scaleUp.tolerance` on this policy's HPA; the cluster's 0.1 when absent. */
  readonly scaleUpTolerance?: number;
  decide(ctx: TickContext): PolicyDecision | Promise<PolicyDecision>;
}

/** The reactive metric every HPA-driven policy keeps: current load against the per-replica target. */
export function reactiveMetric(load: number, averageValue: number): HpaMetric | null {
  return Number.isFinite(load) ? { total: Math.max(0, load), averageValue } : null;
}
