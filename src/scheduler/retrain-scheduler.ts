import { Cron } from 'croner';
import type { Logger } from '../telemetry/logger';
import type { RetrainMetrics as TrainingMetrics } from './retrain-metrics';
import type { Clock } from '../time/clock';
import { JobHistory, type SeriesJobRecord } from './job-history';
import type { RetrainJob } from './retrain-job';

/** Decides leadership; `tryAcquire` also renews. See `FileLeaderLock`. */
export interface LeaderElector {
  tryAcquire(): boolean;
  release(): void;
}

export interface RetrainSchedulerOptions {
  /** Series to retrain, read at each round (so the list can follow the config). */
  series: () => readonly string[];
  job: RetrainJob;
  /** Cron expression; without it only `trigger()` runs rounds. */
  schedule?: string | undefined;
  timezone: string;
  /** Upper bound of the random delay before a scheduled round, in ms. */
  jitterMs: number;
  /** Null: a single replica, always the leader. */
  leader: LeaderElector | null;
  /** How often leadership is renewed, in ms (a third of the lock TTL). */
  leaderRenewMs?: number;
  clock: Clock;
  logger: Logger;
  metrics: TrainingMetrics;
  history?: JobHistory;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type RoundResult = 'ran' | 'skipped-overlap' | 'skipped-not-leader';

/** Shown in GET /v1/status under `training`. */
export interface TrainingStatus {
  schedule: string | null;
  timezone: string;
  nextRun: string | null;
  running: boolean;
  leader: boolean;
  lastRound: { trigger: string; startedAt: string; finishedAt: string | null; result: RoundResult } | null;
  series: SeriesJobRecord[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Runs retraining rounds on a cron schedule (croner, in the configured timezone). A round
 * waits a random jitter, then runs only on the leader, one series after another, and never
 * overlaps the previous round. A failed series is recorded and the others still run; the
 * job itself guarantees the last good model keeps serving.
 */
export class RetrainScheduler {
  readonly history: JobHistory;
  private cron: Cron | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private isLeader = false;
  private lastRound: TrainingStatus['lastRound'] = null;

  constructor(private readonly options: RetrainSchedulerOptions) {
    this.history = options.history ?? new JobHistory();
  }

  start(): void {
    const { schedule, timezone, leader } = this.options;
    if (leader) {
      this.isLeader = leader.tryAcquire();
      this.renewTimer = setInterval(() => (this.isLeader = leader.tryAcquire()), this.options.leaderRenewMs ?? 40_000);
      this.renewTimer.unref();
    } else {
      this.isLeader = true;
    }
    if (schedule !== undefined) {
      this.cron = new Cron(schedule, { timezone }, () => {
        void this.trigger('schedule', { jitter: true });
      });
    }
  }

  /**
   * Runs one round now unless one is running (overlap) or another replica leads.
   * @param trigger what started it, for the status (`schedule`, `manual`, …).
   */
  trigger(trigger: string, options: { jitter?: boolean } = {}): Promise<RoundResult> {
    if (this.running) {
      this.options.metrics.skipped.inc({ reason: 'overlap' });
      this.options.logger.warn({ trigger }, 'training round skipped: the previous round is still running; the next schedule tick will try again');
      return Promise.resolve('skipped-overlap');
    }
    const round = this.round(trigger, options.jitter ?? false).finally(() => {
      this.running = null;
    });
    this.running = round;
    return round;
  }

  /** Next scheduled start (epoch ms), or null without a schedule. */
  nextRunMs(): number | null {
    return this.cron?.nextRun()?.getTime() ?? null;
  }

  leader(): boolean {
    return this.isLeader;
  }

  status(): TrainingStatus {
    return {
      schedule: this.options.schedule ?? null,
      timezone: this.options.timezone,
      nextRun: iso(this.nextRunMs()),
      running: this.running !== null,
      leader: this.isLeader,
      lastRound: this.lastRound,
      series: this.history.all(),
    };
  }

  /** Stops the schedule, waits for a running round, gives leadership up. */
  async stop(): Promise<void> {
    this.cron?.stop();
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.running) await this.running.catch(() => undefined);
    this.options.leader?.release();
    this.isLeader = false;
  }

  private async round(trigger: string, jitter: boolean): Promise<RoundResult> {
    const { clock, logger, metrics, job } = this.options;
    if (jitter && this.options.jitterMs > 0) {
      const random = this.options.random ?? Math.random;
      await (this.options.sleep ?? sleep)(Math.floor(random() * this.options.jitterMs));
    }
    // Leadership is checked after the jitter, at the moment the work would start.
    if (this.options.leader) this.isLeader = this.options.leader.tryAcquire();
    if (!this.isLeader) {
      metrics.skipped.inc({ reason: 'not_leader' });
      logger.info({ trigger }, 'training round skipped: another replica holds the leader lock');
      return 'skipped-not-leader';
    }
    const startedMs = clock.now();
    this.lastRound = { trigger, startedAt: iso(startedMs) as string, finishedAt: null, result: 'ran' };
    for (const series of this.options.series()) {
      const t0 = clock.now();
      this.history.started(series, t0);
      try {
        await job.run(series);
        const t1 = clock.now();
        this.history.succeeded(series, t1, (t1 - t0) / 1000);
        metrics.runs.inc({ series, result: 'success' });
      } catch (err) {
        const t1 = clock.now();
        this.history.failed(series, t1, (t1 - t0) / 1000, (err as Error).message);
        metrics.runs.inc({ series, result: 'failure' });
        logger.warn({ series, err }, 'training failed; the last good model keeps serving');
      }
    }
    this.lastRound = { ...this.lastRound, finishedAt: iso(clock.now()) };
    return 'ran';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
