import type { PoolConfig } from '../config/planner-schema';
import type { CalibratedLevel } from '../planner/sizing';
import type { Sample } from '../series/sample';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import type { CalibrationStore, PersistedCalibration } from './json-file-calibration-store';
import { type DecisionCalibrationState, calibrateAt, calibratedLevel, calibrationBounds, isBinding, newsvendorMissRate, noteDecision } from './decision-calibration';

/** The pool keys decision calibration reads. */
export type CalibratedPoolKeys = Pick<PoolConfig, 'name' | 'capacityPerReplica' | 'headroom' | 'leadTime' | 'costPerReplicaHour' | 'underProvisionCost' | 'calibrateDecisions'>;

export interface DecisionCalibratorDeps {
  pools: readonly CalibratedPoolKeys[];
  store: CalibrationStore;
  clock: Clock;
  logger: Logger;
  /** The reactive cover's window: the peak of the observations over it (`forecast.observationFloorHorizon`, default 300 s). */
  recentWindowSeconds: number;
  /** How often a changed state is saved, ms (default 30 s); `close()` saves the rest. */
  saveIntervalMs?: number;
}

/** One calibrated pool as metrics and the REST API show it. */
export interface PoolCalibrationView extends CalibratedLevel {
  pool: string;
}

interface Tracked {
  keys: CalibratedPoolKeys & { underProvisionCost: number };
  state: DecisionCalibrationState | null;
  /** Observations of the reactive-cover window, oldest first (newest samples the plan saw). */
  recent: Sample[];
}

/**
 * The service's decision calibration (`pools[].calibrateDecisions`; the rule is
 * decision-calibration.ts). The plan service hands it, per calibrated pool, the newest
 * observation of the pool's series when it reads the forecast (`levelFor`: scores the
 * decisions due by then and returns the level to size at), and the replicas the step's plan
 * put in force (`note`). State is per pool, saved through the store at most every
 * `saveIntervalMs` and on `close()`, so a restart keeps the level it learned.
 */
export class DecisionCalibrator {
  private readonly tracked = new Map<string, Tracked>();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DecisionCalibratorDeps) {
    for (const p of deps.pools) {
      if (p.calibrateDecisions && p.underProvisionCost !== undefined) this.tracked.set(p.name, { keys: { ...p, underProvisionCost: p.underProvisionCost }, state: null, recent: [] });
    }
  }

  /**
   * Reads the last save. A pool whose prices changed since (another miss rate) starts again
   * from its newsvendor level: its outcomes were scored against another target.
   */
  async load(): Promise<void> {
    const saved = await this.deps.store.load();
    for (const [name, entry] of Object.entries(saved?.pools ?? {})) {
      const t = this.tracked.get(name);
      if (!t || t.state !== null) continue;
      const missRate = missRateOf(t.keys);
      if (Math.abs(entry.missRate - missRate) > 1e-12) {
        this.deps.logger.info({ pool: name, savedMissRate: entry.missRate, missRate }, 'pool prices changed since the saved decision calibration; it starts again from the newsvendor level');
        continue;
      }
      t.state = entry.state;
    }
    const every = this.deps.saveIntervalMs ?? 30_000;
    this.timer = setInterval(() => void this.saveIfDirty(), every);
    this.timer.unref();
  }

  /**
   * The level a calibrated pool sizes at now, after scoring the decisions that `newest` (the
   * series' newest observation) settles. `served`: the levels the forecast serves, the range
   * the level moves in. Undefined for a pool that is not calibrated.
   */
  levelFor(pool: string, served: readonly number[], newest: Sample): CalibratedLevel | undefined {
    const t = this.tracked.get(pool);
    if (!t) return undefined;
    const bounds = calibrationBounds(t.keys.underProvisionCost, t.keys.costPerReplicaHour, served);
    const before = t.state;
    this.remember(t, newest);
    t.state = calibrateAt(before, bounds, newest);
    if (before === null || t.state.scored !== before.scored || t.state.level !== before.level) this.dirty = true;
    return calibratedLevel(t.state, bounds.missRate);
  }

  /**
   * Notes the replicas the plan of the step starting at `stepStartMs` put in force. Only a
   * binding decision (above the reactive cover of the recent observations) waits to be scored.
   */
  note(pool: string, stepStartMs: number, replicas: number): void {
    const t = this.tracked.get(pool);
    if (!t || t.state === null || t.recent.length === 0) return;
    const recentPeak = Math.max(...t.recent.map((s) => s.v));
    const binding = isBinding({ replicas, recentPeak, headroom: t.keys.headroom, capacityPerReplica: t.keys.capacityPerReplica });
    const next = noteDecision(t.state, { stepStartMs, leadSeconds: t.keys.leadTime, replicas, capacityPerReplica: t.keys.capacityPerReplica, binding });
    if (next !== t.state) this.dirty = true;
    t.state = next;
  }

  /** Every calibrated pool that has a level, in config order. */
  all(): PoolCalibrationView[] {
    return [...this.tracked.values()].flatMap((t) => {
      if (t.state === null) return [];
      return [{ pool: t.keys.name, ...calibratedLevel(t.state, missRateOf(t.keys)) }];
    });
  }

  /** Stops the save timer and saves what changed. @throws when the final save fails. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.saveIfDirty(true);
  }

  private remember(t: Tracked, newest: Sample): void {
    if (!Number.isFinite(newest.v)) return;
    const last = t.recent[t.recent.length - 1];
    if (last && last.t >= newest.t) return;
    t.recent.push(newest);
    const fromMs = newest.t - this.deps.recentWindowSeconds * 1000;
    while ((t.recent[0] as Sample).t < fromMs) t.recent.shift();
  }

  private saveIfDirty(rethrow = false): Promise<void> {
    // Chained, so two saves never write the file at once.
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.deps.store.save(this.snapshot());
      } catch (err) {
        this.dirty = true;
        if (rethrow) throw err;
        this.deps.logger.warn({ err }, 'saving decision calibration failed; it is retried at the next interval');
      }
    });
    return this.saving;
  }

  private snapshot(): PersistedCalibration {
    const pools: PersistedCalibration['pools'] = {};
    for (const [name, t] of this.tracked) {
      if (t.state === null) continue;
      pools[name] = { missRate: missRateOf(t.keys), state: t.state };
    }
    return { formatVersion: 1, savedAtMs: this.deps.clock.now(), pools };
  }
}

function missRateOf(keys: { underProvisionCost: number; costPerReplicaHour: number }): number {
  return newsvendorMissRate(keys.underProvisionCost, keys.costPerReplicaHour);
}
