import { Cron } from 'croner';
import type { LeaderElection } from '../leader-election/leader-election';
import type { Logger } from '../telemetry/logger';
import type { RetrainMetrics } from './retrain-metrics';
import type { Clock } from '../time/clock';
import { iso } from '../time/iso';
import { JobHistory, type SeriesJobRecord } from './job-history';
import type { RetrainJob } from './retrain-job';

export interface RetrainSchedulerOptions {
  /** Series to retrain, read at each round (so the list can follow the config). */
  series: () => readonly string[];
  job: RetrainJob;
  /** Cron expression; without it only `trigger()` runs rounds. */
  schedule?: string | undefined;
  timezone: string;
  /** Upper bound of the random delay before a scheduled round, in ms. */
  jitterMs: number;
  /** Who may train: `FileLeaderElection` by default, or a Kubernetes Lease for replicas in a cluster. Null: a single replica, always the leader. */
  leader: LeaderElection | null;
  /** How often leadership is renewed, in ms (a third of the lease duration). */
  leaderRenewMs?: number;
  clock: Clock;
  logger: Logger;
  metrics: RetrainMetrics;
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
  /** The election round in flight, so `stop()` releases only after it. */
  private electing: Promise<boolean> | null = null;
  private lastRound: TrainingStatus['lastRound'] = null;

  constructor(private readonly options: RetrainSchedulerOptions) {
    this.history = options.history ?? new JobHistory();
  }

  start(): void {
    const { schedule, timezone, leader } = this.options;
    if (leader) {
      void this.elect();
      this.renewTimer = setInterval(() => void this.elect(), this.options.leaderRenewMs ?? 40_000);
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
    await this.electing;
    await this.options.leader?.release().catch((err: unknown) => this.options.logger.warn({ err }, 'could not release the training leadership; another replica takes over when it expires'));
    this.isLeader = false;
  }

  private async round(trigger: string, jitter: boolean): Promise<RoundResult> {
    const { clock, logger, metrics, job } = this.options;
    if (jitter && this.options.jitterMs > 0) {
      const random = this.options.random ?? Math.random;
      await (this.options.sleep ?? sleep)(Math.floor(random() * this.options.jitterMs));
    }
    // Leadership is checked after the jitter, at the moment the work would start.
    if (this.options.leader) await this.elect();
    if (!this.isLeader) {
      metrics.skipped.inc({ reason: 'not_leader' });
      logger.info({ trigger }, 'training round skipped: another replica holds the leader lock');
      return 'skipped-not-leader';
    }
    const startedMs = clock.now();
    this.lastRound = { trigger, startedAt: iso(startedMs), finishedAt: null, result: 'ran' };
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

  /** One election round (at most one in flight); a failed round keeps what the election still believes, which expires on its own. */
  private elect(): Promise<boolean> {
    const leader = this.options.leader;
    if (!leader) return Promise.resolve(true);
    this.electing ??= leader
      .tryAcquireOrRenew()
      .catch((err: unknown) => {
        this.options.logger.warn({ err }, 'training leader election round failed; trying again at the next renewal');
        return leader.isLeader();
      })
      .then((leads) => (this.isLeader = leads))
      .finally(() => (this.electing = null));
    return this.electing;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
