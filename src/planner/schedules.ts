import { Cron } from 'croner';
import type { DemandNeed } from './demand';
import type { FloorWindow } from './plan-types';
import { isoMinute, reason } from './reasons';

/** A recurring window: starts at each `cron` tick in `timezone`, lasts `durationSeconds`. */
export interface RecurringSchedule {
  name: string;
  cron: string;
  durationSeconds: number;
  timezone: string;
  /** Minimum replicas per pool name while the window is open. */
  floor: Readonly<Record<string, number>>;
}

/** A one-off window such as a launch or a sale. */
export interface OneOffEvent {
  name: string;
  startMs: number;
  endMs: number;
  floor: Readonly<Record<string, number>>;
}

/** Safety cap on windows expanded per schedule per call (a `* * * * *` cron over a long range). */
const MAX_WINDOWS_PER_SCHEDULE = 10_000;

/**
 * Expands schedules and events to the floor windows that overlap `[fromMs, toMs]`, grouped by
 * pool name. Cron ticks are computed in the schedule's timezone (DST-aware, by croner), so
 * `0 8 * * 1-5` in Europe/Berlin opens at 08:00 local time all year. Pure.
 */
export function expandFloors(
  schedules: readonly RecurringSchedule[],
  events: readonly OneOffEvent[],
  fromMs: number,
  toMs: number,
): Map<string, FloorWindow[]> {
  const byPool = new Map<string, FloorWindow[]>();
  const add = (w: Omit<FloorWindow, 'replicas'>, floor: Readonly<Record<string, number>>): void => {
    for (const [pool, replicas] of Object.entries(floor)) {
      const list = byPool.get(pool) ?? [];
      list.push({ ...w, replicas });
      byPool.set(pool, list);
    }
  };
  for (const s of schedules) {
    for (const w of scheduleWindows(s, fromMs, toMs)) add({ source: 'schedule', name: s.name, ...w }, s.floor);
  }
  for (const e of events) {
    if (e.endMs > fromMs && e.startMs <= toMs) add({ source: 'event', name: e.name, startMs: e.startMs, endMs: e.endMs }, e.floor);
  }
  return byPool;
}

/** The windows of one recurring schedule that are open at some instant of `[fromMs, toMs]`. */
export function scheduleWindows(s: RecurringSchedule, fromMs: number, toMs: number): { startMs: number; endMs: number }[] {
  const durationMs = s.durationSeconds * 1000;
  const cron = new Cron(s.cron, { timezone: s.timezone, paused: true });
  const out: { startMs: number; endMs: number }[] = [];
  // A window that opened up to one duration before `fromMs` may still be open.
  let cursor: Date | null = new Date(fromMs - durationMs - 1000);
  for (let i = 0; i < MAX_WINDOWS_PER_SCHEDULE; i++) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > toMs) break;
    const startMs = cursor.getTime();
    if (startMs + durationMs > fromMs) out.push({ startMs, endMs: startMs + durationMs });
  }
  cron.stop();
  return out;
}

/**
 * The floor at each step, with pre-warming: a window that opens within `leadTime` of a step
 * already counts at that step, so the replicas asked for then are Ready when it opens.
 * `null` where no window is near. Ties between a schedule and an event go to the event.
 */
export function floorNeeds(floors: readonly FloorWindow[], grid: readonly number[], leadTimeSeconds: number): (DemandNeed | null)[] {
  const leadMs = leadTimeSeconds * 1000;
  // Once a window is open its reason is the same at every step: share one need per window.
  const open = new Map<FloorWindow, DemandNeed>();
  return grid.map((t) => {
    let best: FloorWindow | null = null;
    for (const w of floors) {
      if (w.startMs > t + leadMs || w.endMs <= t) continue;
      if (best === null || w.replicas > best.replicas || (w.replicas === best.replicas && w.source === 'event')) best = w;
    }
    if (best === null) return null;
    const w: FloorWindow = best;
    const shared = w.startMs <= t ? open.get(w) : undefined;
    if (shared) return shared;
    const prewarm = w.startMs > t ? ` (pre-warming ${Math.round((w.startMs - t) / 1000)}s before it opens)` : '';
    const result: DemandNeed = {
      replicas: w.replicas,
      reason: reason(w.source, () => `${w.source} "${w.name}" ${isoMinute(w.startMs)}–${isoMinute(w.endMs)} sets floor ${w.replicas}${prewarm}`, {
        floor: w.replicas,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
      }),
    };
    if (w.startMs <= t) open.set(w, result);
    return result;
  });
}
