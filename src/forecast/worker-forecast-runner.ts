import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Forecast } from '../../models/core/forecaster';
import { WorkerClient } from '../workers/worker-client';
import { workerScriptPath } from '../workers/worker-script-path';
import type { StepJob, StepReply } from './fitted-models';
import type { ForecastJob, ForecastRunner } from './forecast-runner';
import { workerIndexOf } from './worker-routing';

/** What `forecast-worker.ts` answers. */
export type ForecastProtocol = {
  forecast: { request: ForecastJob; reply: Forecast };
  step: { request: StepJob; reply: StepReply };
};

export interface WorkerForecastRunnerOptions {
  /** Worker threads (`forecast.workers`); default cores − 1, at least 1. */
  workers?: number;
}

/**
 * Runs forecast jobs on worker threads, so a model fit never blocks the thread that answers
 * HTTP. Each series is routed to one fixed worker (a hash of its name), where its fitted model
 * is kept between refreshes (`step`); stateless jobs (`run`: fallbacks, warm-up forecasts) go to
 * the least busy worker. A worker that exits fails its pending jobs and is replaced on the next
 * job; its series then answer `needs-refit` and are refitted. An `InsufficientHistoryError`
 * thrown in a worker arrives as one, so the service can fall back.
 */
export class WorkerForecastRunner implements ForecastRunner {
  readonly workers: number;
  private readonly client: WorkerClient<ForecastProtocol>;

  constructor(options: WorkerForecastRunnerOptions = {}) {
    this.workers = Math.max(1, Math.floor(options.workers ?? availableParallelism() - 1));
    this.client = new WorkerClient<ForecastProtocol>({
      name: 'forecast worker',
      slots: this.workers,
      startWorker: () => new Worker(workerScriptPath('src/forecast/forecast-worker')),
    });
  }

  run(job: ForecastJob): Promise<Forecast> {
    return this.client.request('forecast', job);
  }

  step(job: StepJob): Promise<StepReply> {
    return this.client.requestOn(workerIndexOf(job.series, this.workers), 'step', job);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
