import { calendarGrid } from '../../models/core/calendar';
import type { RegularSeries } from '../../models/core/forecaster';
import { quantileSorted } from '../../models/core/quantile-grid';
import type { SimulatedPool } from '../pool-config';
import { reactiveTarget } from './reactive-hpa-policy';
import { type ScalingPolicy, type TickContext, reactiveMetric } from './scaling-policy';

/** A KEDA cron trigger: Monday–Friday, local business hours, pre-warmed by the pool's lead time. */
export interface BusinessHours {
  readonly startHour: number;
  readonly endHour: number;
  readonly timezone: string;
  /** Level of business-hours load the floor is sized for. */
  readonly percentile: number;
}

const QUARTER_HOUR_MS = 15 * 60_000;

export const DEFAULT_BUSINESS_HOURS: Omit<BusinessHours, 'timezone'> = { startHour: 8, endHour: 20, percentile: 0.9 };

/**
 * KEDA-style schedule: a ScaledObject with a cron trigger (a floor of `floor` replicas in
 * business hours, starting one lead time early as an operator would set it) next to the load
 * trigger; the generated HPA takes the larger. The floor is sized with hindsight from the
 * trace's business-hours load, the best a static schedule can be tuned.
 */
export function schedulePolicy(trace: RegularSeries, pool: SimulatedPool, hours: BusinessHours): ScalingPolicy {
  const target = reactiveTarget(pool);
  const floor = scheduleFloor(trace, pool, hours);
  const leadMs = pool.leadTime * 1000;
  // Window edges fall on whole local hours and UTC offsets change on quarter hours, so the
  // answer is constant within a quarter hour (after shifting by the lead time); cache it.
  let cachedBucket = Number.NaN;
  let cachedOpen = false;
  return {
    name: 'schedule',
    decide(ctx: TickContext) {
      const bucket = Math.floor((ctx.nowMs + leadMs) / QUARTER_HOUR_MS);
      if (bucket !== cachedBucket) {
        cachedBucket = bucket;
        cachedOpen = inBusinessHours(ctx.nowMs + leadMs, hours);
      }
      const cron = cachedOpen ? floor : 0;
      // KEDA's cron scaler reports desired replicas against an AverageValue target of 1.
      return { kind: 'hpa', metrics: [reactiveMetric(ctx.load, target), { total: cron, averageValue: 1 }] };
    },
  };
}

export function inBusinessHours(ms: number, hours: BusinessHours): boolean {
  const cal = calendarGrid(ms, 1, 1, hours.timezone);
  const hour = (cal.secondOfDay[0] as number) / 3600;
  return (cal.dayOfWeek[0] as number) < 5 && hour >= hours.startHour && hour < hours.endHour;
}

function scheduleFloor(trace: RegularSeries, pool: SimulatedPool, hours: BusinessHours): number {
  const cal = calendarGrid(trace.startMs, trace.stepSeconds, trace.values.length, hours.timezone);
  const busy: number[] = [];
  for (let i = 0; i < trace.values.length; i++) {
    const v = trace.values[i] as number;
    const hour = (cal.secondOfDay[i] as number) / 3600;
    if (Number.isFinite(v) && (cal.dayOfWeek[i] as number) < 5 && hour >= hours.startHour && hour < hours.endHour) busy.push(v);
  }
  busy.sort((a, b) => a - b);
  const level = busy.length > 0 ? quantileSorted(busy, hours.percentile) : 0;
  return Math.min(pool.maxReplicas, Math.max(pool.minReplicas, Math.ceil(level / target(pool))));
}

function target(pool: SimulatedPool): number {
  return reactiveTarget(pool);
}
