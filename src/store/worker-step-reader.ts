import { Worker } from 'node:worker_threads';
import type { RegularSeries } from '../../models/core/forecaster';
import { WorkerClient } from '../workers/worker-client';
import { workerScriptPath } from '../workers/worker-script-path';
import type { SeriesStats } from './history-store';
import type { StepQuery } from './step-read';

/** What `step-read-worker.ts` answers. */
export type StepReadProtocol = {
  steps: { request: { file: string; series: string; query: StepQuery }; reply: RegularSeries };
  stats: { request: { file: string; series: string }; reply: SeriesStats | null };
};

/**
 * Runs history reads of one SQLite file on a worker thread with its own read-only
 * connection, so reading (and folding) a long raw history never holds the thread that
 * answers `/healthz` and the metrics APIs. Only the folded series (one value per step)
 * crosses back. Reads queue in arrival order on one thread: they are I/O-bound, and one
 * thread is enough to keep them off the serving one.
 */
export class WorkerStepReader {
  private readonly client = new WorkerClient<StepReadProtocol>({
    name: 'history read worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('src/store/step-read-worker')),
  });

  constructor(private readonly file: string) {}

  /** @throws an Error when the worker cannot open the file or exits before it answers. */
  read(series: string, query: StepQuery): Promise<RegularSeries> {
    return this.client.request('steps', { file: this.file, series, query });
  }

  /** The sample count and first and last times of `series` (`HistoryStore.stats`). */
  stats(series: string): Promise<SeriesStats | null> {
    return this.client.request('stats', { file: this.file, series });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
