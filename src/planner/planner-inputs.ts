import type { EventConfig, PoolConfig, ScheduleConfig } from '../config/planner-schema';
import type { PublishedForecast } from '../forecast/published-forecast';
import type { PoolSpec, SeriesPoint } from './plan-types';
import type { OneOffEvent, RecurringSchedule } from './schedules';

/** The pure planner's view of a configured pool. */
export function toPoolSpec(p: PoolConfig): PoolSpec {
  return {
    name: p.name,
    capacityPerReplica: p.capacityPerReplica,
    leadTimeSeconds: p.leadTime,
    headroom: p.headroom,
    minReplicas: p.minReplicas,
    maxReplicas: p.maxReplicas,
    gpusPerReplica: p.gpusPerReplica,
    costPerReplicaHour: p.costPerReplicaHour,
    priority: p.priority,
    scaleDown: { stabilizationWindowSeconds: p.scaleDown.stabilizationWindow, maxStepDown: p.scaleDown.maxStepDown },
    ...(p.queue ? { queue: { drainTimeSeconds: p.queue.drainTime } } : {}),
  };
}

export function toSchedule(s: ScheduleConfig): RecurringSchedule {
  return { name: s.name, cron: s.cron, durationSeconds: s.duration, timezone: s.timezone, floor: s.floor };
}

export function toEvent(e: EventConfig): OneOffEvent {
  return { name: e.name, startMs: e.start, endMs: e.end, floor: e.floor };
}

/** The forecast at one quantile (the point forecast where that quantile is not served). */
export function quantileSeries(f: PublishedForecast, quantile: number): SeriesPoint[] {
  const key = String(quantile);
  return f.points.map((p) => ({ t: p.t, value: p.quantiles[key] ?? p.value }));
}
