import type { Sample } from '../series/sample';
import { alignToStep } from '../series/regularize';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import { demoRate } from './demo-rate';

export interface DemoWorkloadOptions {
  series: string;
  stepSeconds: number;
  seed: number;
  /** History written at first start (and to fill a gap after a restart), in seconds. */
  historySeconds: number;
  /** Where samples go: the same ingest path as a push. */
  ingest: (series: string, samples: Sample[]) => Promise<unknown>;
  /** Newest stored sample time, to continue after a restart. */
  lastSampleMs: () => Promise<number | null>;
  clock: Clock;
  logger: Logger;
}

/**
 * The built-in demo: writes two weeks of history at first start (or fills the gap since
 * the last run), then one live sample per step, so that forecasts, plans and metrics show
 * something real with no cluster and no Prometheus.
 */
export class DemoWorkload {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DemoWorkloadOptions) {}

  /** Backfills, then ticks every step. @throws the store's error when the backfill cannot be written. */
  async start(): Promise<void> {
    const { stepSeconds, clock } = this.options;
    const count = await this.backfill();
    this.options.logger.info({ series: this.options.series, samples: count }, 'demo workload started');
    const stepMs = stepSeconds * 1000;
    const untilNextStep = stepMs - (clock.now() % stepMs);
    this.timer = setTimeout(() => {
      this.tick();
      this.timer = setInterval(() => this.tick(), stepMs);
      this.timer.unref();
    }, untilNextStep);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes the samples from the last stored one (or `historySeconds` ago) up to the current step. */
  async backfill(): Promise<number> {
    const { stepSeconds, historySeconds, clock, series, seed } = this.options;
    const stepMs = stepSeconds * 1000;
    const nowStep = alignToStep(clock.now(), stepSeconds);
    const earliest = nowStep - historySeconds * 1000;
    const last = await this.options.lastSampleMs();
    const from = last === null || last < earliest ? earliest : last + stepMs;
    const samples: Sample[] = [];
    for (let t = from; t <= nowStep; t += stepMs) samples.push({ t, v: round3(demoRate(t, seed)) });
    if (samples.length > 0) await this.options.ingest(series, samples);
    return samples.length;
  }

  private tick(): void {
    this.backfill().catch((err: unknown) => {
      this.options.logger.warn({ err, series: this.options.series }, 'demo sample not written; the next step retries');
    });
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
