import { Worker } from 'node:worker_threads';
import type { Forecast } from '../../models/core/forecaster';
import { WorkerClient } from '../workers/worker-client';
import { workerScriptPath } from '../workers/worker-script-path';
import type { ForecastJob, ForecastRunner } from './forecast-runner';

/** What `forecast-worker.ts` answers. */
export type ForecastProtocol = { forecast: { request: ForecastJob; reply: Forecast } };

/**
 * Runs forecast jobs on a worker thread, so a model fit never blocks the thread that
 * answers HTTP. Jobs reach the worker in arrival order. A worker that exits fails its
 * pending jobs and is replaced on the next job; an `InsufficientHistoryError` thrown in the
 * worker arrives as one, so the service can fall back.
 */
export class WorkerForecastRunner implements ForecastRunner {
  // One slot: forecasts are cheap statistical fits, and one thread keeps them off the HTTP one.
  private readonly client = new WorkerClient<ForecastProtocol>({
    name: 'forecast worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('src/forecast/forecast-worker')),
  });

  run(job: ForecastJob): Promise<Forecast> {
    return this.client.request('forecast', job);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
