import { Worker } from 'node:worker_threads';
import type { RegularSeries } from '../../models/core/forecaster';
import { WorkerClient } from '../workers/worker-client';
import { workerScriptPath } from '../workers/worker-script-path';
import type { StepQuery } from './step-read';

/** What `postgres-step-read-worker.ts` answers. */
export type PostgresStepReadProtocol = {
  steps: { request: { url: string; series: string; query: StepQuery }; reply: RegularSeries };
};

/**
 * Runs the refresh's step reads on a worker thread with its own pool. The `pg` driver turns
 * every row of a reply into JavaScript values on the thread that owns the connection; on the
 * serving thread that was most of its busy time in a 1,000-series steady state (event-loop
 * p99 62–66 ms, 64–66 scavenges per round, against 5–15 for SQLite). Here only the folded
 * series crosses back, its values as one Float64Array. One thread: the reads wait on the
 * network, and the thread's pool runs several at once.
 */
export class WorkerPostgresStepReader {
  private readonly client = new WorkerClient<PostgresStepReadProtocol>({
    name: 'postgres read worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('src/store/postgres-step-read-worker')),
  });

  constructor(private readonly url: string) {}

  /** @throws the driver's error (revived, with its SQLSTATE `code`); an Error when the worker exits before it answers. */
  read(series: string, query: StepQuery): Promise<RegularSeries> {
    return this.client.request('steps', { url: this.url, series, query });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
