import { PrescaleError, invalidInput } from '../errors/prescale-error';
import type { MetricProvider, ProviderReading } from './metric-provider';
import type { PlanService } from '../planner/plan-service';

/** Prefix of the external metric that carries a pool's plan: `prescale-plan-<pool>`. */
export const PLAN_METRIC_PREFIX = 'prescale-plan-';

/**
 * Serves each pool's plan as an external metric for the HPA and the KEDA scaler: the value
 * is the desired replicas of the current plan step (already lead-time ahead, with headroom,
 * schedules and quotas), so a target of `AverageValue: 1` makes the HPA's
 * `ceil(value / 1)` equal the plan:
 *
 * ```yaml
 * metrics:
 *   - type: External
 *     external:
 *       metric: { name: prescale-plan-gpu-generate }
 *       target: { type: AverageValue, averageValue: "1" }
 * ```
 *
 * With KEDA, the external scaler trigger names it the same way (`series: prescale-plan-gpu-generate`,
 * `targetValue: "1"`). The composition root adds it to the metric value service's provider
 * table after the forecast provider. `stale` is true while the forecast behind the plan is
 * stale or missing (the plan then holds schedules, events and minReplicas). The value is the
 * step's one plan (`PlanService.current()`), made with the actuator's cluster facts when it runs.
 */
export class PlanMetricProvider implements MetricProvider {
  readonly kind = 'plan';

  constructor(private readonly plans: Pick<PlanService, 'poolNames' | 'current'>) {}

  owns(metricName: string): boolean {
    return metricName.startsWith(PLAN_METRIC_PREFIX) && this.plans.poolNames().includes(metricName.slice(PLAN_METRIC_PREFIX.length));
  }

  /** @throws {PrescaleError} INVALID_INPUT for any parameter (the plan takes none), POOL_NOT_FOUND. */
  read(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): ProviderReading {
    const extra = Object.keys(params)[0];
    if (extra !== undefined) throw invalidInput(`${fieldPrefix}${extra}`, 'a plan metric takes no parameters');
    const pool = metricName.slice(PLAN_METRIC_PREFIX.length);
    // The step's one plan, the same the REST API shows and the actuator applies.
    const set = this.plans.current();
    const view = set.pools.find((p) => p.pool === pool);
    const step = view?.steps[0];
    if (!view || !step) throw new PrescaleError('POOL_NOT_FOUND', `pool "${pool}" is not configured`, 'metricName');
    return { metricName, value: step.replicas, timestampMs: set.generatedAtMs, windowSeconds: set.stepSeconds, stale: view.forecast.stale };
  }

  metricNames(): string[] {
    return this.plans.poolNames().map((p) => `${PLAN_METRIC_PREFIX}${p}`);
  }
}
