/**
 * The HPA's replica math for External metrics with `AverageValue` targets and `spec.behavior`
 * set to the API defaults (the HPA controller's sync and behavior defaults), as a pure state machine
 * the simulator calls once per sync period. Mirrors `horizontal.go`: per-metric proposals with
 * the tolerance test against `status.replicas`, the max over metrics, stabilization windows,
 * then the scale-up/scale-down rate policies.
 */

/** One External metric: the summed value the metric server returns and its AverageValue target. */
export interface HpaMetric {
  readonly total: number;
  readonly averageValue: number;
}

export interface HpaPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface HpaSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * `behavior.scaleUp.tolerance` and `behavior.scaleDown.tolerance` (KEP-4951, feature gate
   * HPAConfigurableTolerance): a proposal is the current replicas while
   * (1 − scaleDownTolerance) ≤ ratio ≤ (1 + scaleUpTolerance). Both default to the cluster flag, 0.1.
   */
  readonly scaleUpTolerance: number;
  readonly scaleDownTolerance: number;
  readonly scaleUpStabilizationSeconds: number;
  readonly scaleDownStabilizationSeconds: number;
  readonly scaleUpPolicies: readonly HpaPolicy[];
  readonly scaleDownPolicies: readonly HpaPolicy[];
}

/** The controller's `--horizontal-pod-autoscaler-tolerance` default, which both per-HPA tolerances default to. */
export const DEFAULT_HPA_TOLERANCE = 0.1;

/** Defaults of autoscaling/v2 `behavior` plus the controller flags (tolerance 0.1, 300 s down-stabilization). */
export function defaultHpaSettings(minReplicas: number, maxReplicas: number): HpaSettings {
  return {
    minReplicas,
    maxReplicas,
    scaleUpTolerance: DEFAULT_HPA_TOLERANCE,
    scaleDownTolerance: DEFAULT_HPA_TOLERANCE,
    scaleUpStabilizationSeconds: 0,
    scaleDownStabilizationSeconds: 300,
    scaleUpPolicies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
    scaleDownPolicies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

interface Timed {
  readonly ms: number;
  readonly value: number;
}

/** The controller's memory for one HPA: past recommendations and past scale events. */
export class HpaController {
  private recommendations: Timed[] = [];
  private scaleUpEvents: Timed[] = [];
  private scaleDownEvents: Timed[] = [];

  constructor(private readonly settings: HpaSettings) {}

  /**
   * One sync: returns the new `spec.replicas`.
   * @param specReplicas the Deployment's current `spec.replicas`.
   * @param statusReplicas pods that exist, Ready or not (`status.replicas`).
   * @param metrics the metrics of this sync; `null` entries failed to fetch.
   */
  sync(nowMs: number, specReplicas: number, statusReplicas: number, metrics: readonly (HpaMetric | null)[]): number {
    const s = this.settings;
    if (this.recommendations.length === 0) this.recommendations.push({ ms: nowMs, value: specReplicas });
    let desired: number;
    if (specReplicas > s.maxReplicas) desired = s.maxReplicas;
    else if (specReplicas < s.minReplicas) desired = s.minReplicas;
    else {
      const proposals = metrics.filter((m): m is HpaMetric => m !== null).map((m) => this.proposal(m, statusReplicas));
      if (proposals.length === 0) return specReplicas;
      const replicas = Math.max(...proposals);
      if (proposals.length < metrics.length && replicas < specReplicas) return specReplicas;
      desired = this.normalize(nowMs, specReplicas, Math.max(0, replicas));
    }
    if (desired !== specReplicas) this.recordScale(nowMs, desired - specReplicas);
    return desired;
  }

  /** `GetExternalPerPodMetricReplicas`: milli-unit totals, tolerance against status.replicas. */
  private proposal(m: HpaMetric, statusReplicas: number): number {
    const totalMilli = Math.ceil(Math.max(0, m.total) * 1000);
    const targetMilli = Math.max(1, Math.ceil(m.averageValue * 1000 - 1e-9));
    if (statusReplicas > 0) {
      const ratio = totalMilli / (targetMilli * statusReplicas);
      if (ratio >= 1 - this.settings.scaleDownTolerance && ratio <= 1 + this.settings.scaleUpTolerance) return statusReplicas;
    }
    return Math.ceil(totalMilli / targetMilli);
  }

  /** `stabilizeRecommendationWithBehaviors` then `convertDesiredReplicasWithBehaviorRate`. */
  private normalize(nowMs: number, current: number, desired: number): number {
    const s = this.settings;
    let up = desired;
    let down = desired;
    const upCutoff = nowMs - s.scaleUpStabilizationSeconds * 1000;
    const downCutoff = nowMs - s.scaleDownStabilizationSeconds * 1000;
    for (const r of this.recommendations) {
      if (r.ms > upCutoff) up = Math.min(up, r.value);
      if (r.ms > downCutoff) down = Math.max(down, r.value);
    }
    let rec = current;
    if (rec < up) rec = up;
    if (rec > down) rec = down;
    const keepFrom = nowMs - Math.max(s.scaleUpStabilizationSeconds, s.scaleDownStabilizationSeconds) * 1000;
    this.recommendations = this.recommendations.filter((r) => r.ms > keepFrom);
    this.recommendations.push({ ms: nowMs, value: desired });
    if (rec > current) return Math.min(rec, this.scaleUpLimit(nowMs, current), s.maxReplicas);
    if (rec < current) return Math.max(rec, this.scaleDownLimit(nowMs, current), s.minReplicas);
    return current;
  }

  private scaleUpLimit(nowMs: number, current: number): number {
    let limit = Number.NEGATIVE_INFINITY;
    for (const p of this.settings.scaleUpPolicies) {
      const start = current - sumWithin(this.scaleUpEvents, nowMs, p.periodSeconds) + sumWithin(this.scaleDownEvents, nowMs, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      limit = Math.max(limit, proposed);
    }
    return Math.max(limit, current);
  }

  private scaleDownLimit(nowMs: number, current: number): number {
    let limit = Number.POSITIVE_INFINITY;
    for (const p of this.settings.scaleDownPolicies) {
      const start = current - sumWithin(this.scaleUpEvents, nowMs, p.periodSeconds) + sumWithin(this.scaleDownEvents, nowMs, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      limit = Math.min(limit, proposed);
    }
    return Math.min(limit, current);
  }

  private recordScale(nowMs: number, change: number): void {
    const longest = Math.max(...[...this.settings.scaleUpPolicies, ...this.settings.scaleDownPolicies].map((p) => p.periodSeconds), 0);
    const keepFrom = nowMs - longest * 1000;
    this.scaleUpEvents = this.scaleUpEvents.filter((e) => e.ms > keepFrom);
    this.scaleDownEvents = this.scaleDownEvents.filter((e) => e.ms > keepFrom);
    if (change > 0) this.scaleUpEvents.push({ ms: nowMs, value: change });
    else this.scaleDownEvents.push({ ms: nowMs, value: -change });
  }
}

/** Σ events strictly after `nowMs − period` (the controller's `timestamp.After(cutoff)`). */
function sumWithin(events: readonly Timed[], nowMs: number, periodSeconds: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.ms > cutoff) sum += e.value;
  return sum;
}
