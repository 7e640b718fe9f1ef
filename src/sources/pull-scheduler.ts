import type { SeriesConfig } from '../config/schema';
import { alignToStep } from '../series/regularize';
import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import type { Logger } from '../telemetry/logger';
import type { SourceMetrics } from '../telemetry/source-metrics';
import type { Clock } from '../time/clock';
import type { MetricsSource } from './metrics-source';
import { type SourceStatus, initialSourceStatus } from './source-status';

/** One pulled series: its config and where its samples come from. */
export interface PulledSeries {
  config: Pick<SeriesConfig, 'name' | 'step' | 'history'>;
  source: MetricsSource;
}

export interface PullSchedulerDeps {
  series: readonly PulledSeries[];
  /** Writes pulled samples (to the history store, which schedules a forecast refresh). */
  ingest: (series: string, samples: readonly Sample[]) => Promise<unknown>;
  /** Epoch ms of the newest stored sample, or null. */
  lastSampleMs: (series: string) => Promise<number | null>;
  clock: Clock;
  logger: Logger;
  metrics: SourceMetrics;
  /** Wait after a step boundary before pulling it, so the source has evaluated it (default 5 s). */
  settleMs?: number;
  /** Series pulled at once by `pullAll` (default 8): bounds memory during a backfill and the load on the source. */
  concurrency?: number;
  /** `server.maxFutureSkew` in seconds (default 300): samples further ahead of the clock are dropped and counted. */
  maxFutureSkewSeconds?: number;
}

/**
 * Keeps the history store filled from the sources. The first pull of a series backfills
 * `history`; every later one asks for the steps after the newest stored sample up to now,
 * so after an outage the next successful pull fills the whole gap (catch-up). A failed
 * pull only marks the source down: serving goes on from what is stored.
 */
export class PullScheduler {
  private readonly status = new Map<string, SourceStatus>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly bySeries: ReadonlyMap<string, PulledSeries>;
  private stopped = false;

  constructor(private readonly deps: PullSchedulerDeps) {
    this.bySeries = new Map(deps.series.map((s) => [s.config.name, s]));
    for (const s of deps.series) this.status.set(s.config.name, initialSourceStatus(s.config.name, s.source.description));
  }

  /**
   * Backfills every series now, then (unless `schedule` is false) pulls each at every step
   * boundary. Resolves when the backfill round is done or, when every source has a
   * deadline, after the longest one at most: a hung source then keeps backfilling in the
   * background (its scheduled pulls queue behind it) while the caller goes on to serve
   * stored history. Never rejects.
   */
  async start(options: { schedule?: boolean } = {}): Promise<void> {
    const round = this.pullAll();
    const deadlines = this.deps.series.map((s) => s.source.deadlineMs);
    if (deadlines.length > 0 && deadlines.every((d) => d !== undefined)) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(...deadlines));
        timer.unref();
      });
      await Promise.race([round, waited]);
      clearTimeout(timer);
    } else {
      await round;
    }
    if (options.schedule === false) return;
    for (const name of this.bySeries.keys()) this.schedule(name);
  }

  /** One pull of every series, a few at a time; failures are recorded, never thrown. */
  async pullAll(): Promise<void> {
    const queue = [...this.bySeries.keys()];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await this.pull(name);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.deps.concurrency ?? 8) }, worker));
  }

  /** Pulls one series from after its newest stored sample to now; concurrent calls queue up. */
  pull(name: string): Promise<void> {
    const previous = this.inFlight.get(name) ?? Promise.resolve();
    const next = previous.then(() => this.pullNow(name));
    this.inFlight.set(name, next);
    void next.finally(() => {
      if (this.inFlight.get(name) === next) this.inFlight.delete(name);
    });
    return next;
  }

  statuses(): SourceStatus[] {
    return [...this.status.values()].map((s) => ({ ...s }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async pullNow(name: string): Promise<void> {
    const entry = this.bySeries.get(name);
    if (!entry || this.stopped) return;
    const { config, source } = entry;
    const { clock, metrics, logger } = this.deps;
    const status = this.status.get(name) as SourceStatus;
    const nowMs = clock.now();
    const stepMs = config.step * 1000;
    const toMs = alignToStep(nowMs, config.step);
    const oldestMs = alignToStep(nowMs - config.history * 1000, config.step);
    status.lastAttemptMs = nowMs;
    const endTimer = metrics.pullDuration.startTimer({ series: name });
    try {
      const last = await this.deps.lastSampleMs(name);
      const fromMs = Math.max(oldestMs, last === null ? oldestMs : last + stepMs);
      const pulled = fromMs <= toMs ? await source.pull({ fromMs, toMs, stepSeconds: config.step }) : [];
      const samples = this.dropFuture(name, pulled);
      if (samples.length > 0) await this.deps.ingest(name, samples);
      metrics.samplesPulled.inc({ series: name }, pulled.length);
      metrics.pulls.inc({ series: name, result: 'success' });
      if (status.state === 'down' || status.state === 'config_error') logger.info({ series: name, samples: samples.length }, 'source is back; the gap is filled');
      Object.assign(status, { state: 'up', backfilled: true, lastSuccessMs: clock.now(), lastError: null, consecutiveFailures: 0 });
    } catch (err) {
      metrics.pulls.inc({ series: name, result: 'failure' });
      recordFailure(status, err, logger);
    } finally {
      endTimer();
    }
  }

  /**
   * Drops samples more than `maxFutureSkewSeconds` ahead of the clock (a source with a wrong
   * clock, or a hostile one): stored, one would make the series look fresh while freezing its
   * forecast. The rest of the answer is kept.
   */
  private dropFuture(name: string, samples: readonly Sample[]): readonly Sample[] {
    const limitMs = this.deps.clock.now() + (this.deps.maxFutureSkewSeconds ?? 300) * 1000;
    const kept = samples.filter((s) => s.t <= limitMs);
    const dropped = samples.length - kept.length;
    if (dropped > 0) {
      this.deps.metrics.samplesDropped.inc({ series: name, reason: 'future' }, dropped);
      this.deps.logger.warn({ series: name, dropped, limit: new Date(limitMs).toISOString() }, 'source answered samples ahead of the service clock; they are dropped, the rest is stored');
    }
    return kept;
  }

  /** Next pull just after the next step boundary (plus a settle delay), on the injected clock. */
  private schedule(name: string): void {
    const entry = this.bySeries.get(name);
    if (!entry || this.stopped) return;
    const stepMs = entry.config.step * 1000;
    const nowMs = this.deps.clock.now();
    const delayMs = stepMs - (nowMs % stepMs) + (this.deps.settleMs ?? 5000);
    const timer = setTimeout(() => {
      void this.pull(name).finally(() => this.schedule(name));
    }, delayMs);
    timer.unref();
    this.timers.set(name, timer);
  }
}

/**
 * Marks a failed pull. A rejected query (INVALID_CONFIG) is `config_error`, an outage is
 * `down`. Each is logged once when the state (or, for a config error, the message) changes:
 * the config error without a stack, since it names the query and the stack does not help.
 */
function recordFailure(status: SourceStatus, err: unknown, logger: Logger): void {
  const message = (err as Error).message;
  const configError = err instanceof PrescaleError && err.code === 'INVALID_CONFIG';
  const changed = configError ? status.state !== 'config_error' || status.lastError !== message : status.state !== 'down';
  status.consecutiveFailures += 1;
  status.lastError = message;
  status.state = configError ? 'config_error' : 'down';
  if (!changed) return;
  if (configError) {
    logger.error(
      { series: status.series, error: message, field: err.field },
      'the source rejects the query: a configuration error, not an outage; serving continues on stored history, each step tries once more without retries, fix the query in the config',
    );
  } else {
    logger.warn({ series: status.series, err }, 'pull from the source failed; serving continues on stored history and the next pull will fill the gap');
  }
}
