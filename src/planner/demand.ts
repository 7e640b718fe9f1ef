import { drainLoad, replicasForLoad } from './headroom';
import type { PoolSpec, SeriesPoint } from './plan-types';
import { type PlanReason, isoMinute, num, reason } from './reasons';
import type { DemandSizing } from './sizing';

/** The replicas the load asks for at one plan step, and why. */
export interface DemandNeed {
  replicas: number;
  reason: PlanReason;
}

/**
 * Replicas the forecast (and the queue, when the pool drains one) asks for at each step.
 *
 * A replica asked for at `t` is Ready at `t + leadTime`, so the step at `t` must already
 * cover the load up to `t + leadTime`; it also keeps covering the load between `t` and then,
 * since capacity that is still needed must not be released. The value at a step is therefore
 * the need at the peak of the forecast over `[t, t + leadTime]`. A series is read as a step
 * function (each point holds until the next); beyond its last point the last value holds.
 *
 * Pure: `O(steps + points)` with one moving pointer.
 */
export function demandNeeds(pool: PoolSpec, grid: readonly number[], demand: readonly SeriesPoint[], backlog?: readonly SeriesPoint[], sizing?: DemandSizing): DemandNeed[] {
  const leadMs = pool.leadTimeSeconds * 1000;
  const drainS = pool.queue?.drainTimeSeconds ?? 0;
  const withQueue = pool.queue !== undefined && backlog !== undefined && backlog.length > 0;
  // The combined load at each demand point (arrivals + backlog drained in time).
  const loads = demand.map((p) => {
    const queued = withQueue ? drainLoad(valueAt(backlog, p.t), drainS) : 0;
    return { t: p.t, arrivals: Math.max(0, p.value), queued };
  });
  const out: DemandNeed[] = [];
  // Neighbouring steps usually share their peak point: one (immutable) need per point.
  const memo: (DemandNeed | undefined)[] = new Array(loads.length);
  let first = 0; // index of the first point with t > step t
  for (const t of grid) {
    if (loads.length === 0) {
      out.push({ replicas: 0, reason: reason('forecast', 'no forecast: the load term asks for nothing', { load: 0 }) });
      continue;
    }
    while (first < loads.length && (loads[first] as { t: number }).t <= t) first++;
    // The point in force at t (or the first point, when t precedes the forecast).
    let bestIndex = Math.max(0, first - 1);
    let best = loads[bestIndex] as (typeof loads)[number];
    for (let j = first; j < loads.length; j++) {
      const p = loads[j] as (typeof loads)[number];
      if (p.t > t + leadMs) break;
      if (p.arrivals + p.queued > best.arrivals + best.queued) {
        best = p;
        bestIndex = j;
      }
    }
    out.push((memo[bestIndex] ??= need(pool, best, drainS, sizing)));
  }
  return out;
}

function need(pool: PoolSpec, at: { t: number; arrivals: number; queued: number }, drainS: number, sizing: DemandSizing | undefined): DemandNeed {
  const load = at.arrivals + at.queued;
  const replicas = replicasForLoad(load, pool.capacityPerReplica, pool.headroom);
  const values: Record<string, number> = { load, arrivals: at.arrivals, capacityPerReplica: pool.capacityPerReplica, headroom: pool.headroom, loadAtMs: at.t };
  if (sizing) values['quantile'] = sizing.quantile;
  // Which quantile the load is and why (`newsvendor q0.87 = u/(u+c) = 6.5/(6.5+1)`), when known.
  const how = sizing ? ` (${sizing.why})` : '';
  const arrivalsOnly = replicasForLoad(at.arrivals, pool.capacityPerReplica, pool.headroom);
  const tail = `× ${num(1 + pool.headroom)} / ${num(pool.capacityPerReplica)} per replica = ${replicas}`;
  if (at.queued > 0 && replicas > arrivalsOnly) {
    return {
      replicas,
      reason: reason('queue', () => `(arrivals ${num(at.arrivals)}${how} + backlog/${num(drainS)}s ${num(at.queued)}) at ${isoMinute(at.t)} ${tail}`, {
        ...values,
        backlogLoad: at.queued,
        drainTimeSeconds: drainS,
      }),
    };
  }
  return { replicas, reason: reason('forecast', () => `load ${num(load)}${how} at ${isoMinute(at.t)} ${tail}`, values) };
}

/** The value in force at `t`: the last point at or before it (the first point before the series starts). */
export function valueAt(points: readonly SeriesPoint[], t: number): number {
  if (points.length === 0) return 0;
  let lo = 0;
  let hi = points.length - 1;
  if ((points[0] as SeriesPoint).t > t) return (points[0] as SeriesPoint).value;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((points[mid] as SeriesPoint).t <= t) lo = mid;
    else hi = mid - 1;
  }
  return (points[lo] as SeriesPoint).value;
}
