import type { EventConfig, PoolConfig, ScheduleConfig } from '../config/planner-schema';
import type { PublishedForecast } from '../forecast/published-forecast';
import type { PoolSpec, SeriesPoint } from './plan-types';
import type { OneOffEvent, RecurringSchedule } from './schedules';

/**
 * The keys that size a pool, shared by a configured pool and the simulator's pool
 * (`simulate/pool-config.ts`, derived from the same schema): leadTime in seconds, headroom as
 * a fraction, replica bounds, GPUs and cost per replica, priority.
 */
export type PoolSizingConfig = Pick<PoolConfig, 'name' | 'capacityPerReplica' | 'leadTime' | 'headroom' | 'minReplicas' | 'maxReplicas' | 'gpusPerReplica' | 'costPerReplicaHour' | 'priority'> &
  Partial<Pick<PoolConfig, 'underProvisionCost'>>;

/** The planner's fields of a pool that {@link PoolSizingConfig} decides: all of {@link PoolSpec} but scale-down and queue. */
export type PoolSizing = Omit<PoolSpec, 'scaleDown' | 'queue'>;

/**
 * The one mapping from the pool config keys to the planner's pool fields, used by the service
 * ({@link toPoolSpec}) and by the simulator, so the same pool YAML sizes the same capacity in both.
 */
export function toPoolSizing(p: PoolSizingConfig): PoolSizing {
  return {
    name: p.name,
    capacityPerReplica: p.capacityPerReplica,
    leadTimeSeconds: p.leadTime,
    // Cost-aware sizing replaces quantile + headroom: the newsvendor quantile already prices the spare.
    headroom: p.underProvisionCost !== undefined ? 0 : p.headroom,
    minReplicas: p.minReplicas,
    maxReplicas: p.maxReplicas,
    gpusPerReplica: p.gpusPerReplica,
    costPerReplicaHour: p.costPerReplicaHour,
    priority: p.priority,
    ...(p.underProvisionCost !== undefined ? { underProvisionCost: p.underProvisionCost } : {}),
  };
}

/** The pure planner's view of a configured pool: its sizing, gradual scale-down and optional queue. */
export function toPoolSpec(p: PoolConfig): PoolSpec {
  return {
    ...toPoolSizing(p),
    scaleDown: { stabilizationWindowSeconds: p.scaleDown.stabilizationWindow, maxStepDown: p.scaleDown.maxStepDown },
    ...(p.queue ? { queue: { drainTimeSeconds: p.queue.drainTime } } : {}),
  };
}

export function toSchedule(s: ScheduleConfig): RecurringSchedule {
  return { name: s.name, cron: s.cron, durationSeconds: s.duration, timezone: s.timezone, floor: s.floor };
}

/** A configured event as the planner's one-off window (its times already epoch ms, parsed with their UTC offset). */
export function toEvent(e: EventConfig): OneOffEvent {
  return { name: e.name, startMs: e.start, endMs: e.end, floor: e.floor };
}

/** The forecast at one quantile (the point forecast where that quantile is not served). */
export function quantileSeries(f: PublishedForecast, quantile: number): SeriesPoint[] {
  const key = String(quantile);
  return f.points.map((p) => ({ t: p.t, value: p.quantiles[key] ?? p.value }));
}
