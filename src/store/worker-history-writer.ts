import { Worker } from 'node:worker_threads';
import type { Sample } from '../series/sample';
import { WorkerClient } from '../workers/worker-client';
import { workerScriptPath } from '../workers/worker-script-path';

/** What `history-write-worker.ts` answers. */
export type HistoryWriteProtocol = {
  append: { request: { file: string; series: string; samples: readonly Sample[] }; reply: number };
  deleteBefore: { request: { file: string; series: string; beforeMs: number }; reply: number };
};

/**
 * Runs the writes of one SQLite file on a worker thread with group commit: with
 * `synchronous=FULL` each commit waits for the disk (about 3 ms here), and on the serving
 * thread that wait would hold every metric read queued behind a push. Concurrent appends share
 * one commit; each resolves once its rows are on disk.
 */
export class WorkerHistoryWriter {
  private readonly client = new WorkerClient<HistoryWriteProtocol>({
    name: 'history write worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('src/store/history-write-worker')),
  });
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly file: string) {}

  /** @returns how many samples were new or changed. @throws the database's error for this batch. */
  append(series: string, samples: readonly Sample[]): Promise<number> {
    return this.track(this.client.request('append', { file: this.file, series, samples }));
  }

  deleteBefore(series: string, beforeMs: number): Promise<number> {
    return this.track(this.client.request('deleteBefore', { file: this.file, series, beforeMs }));
  }

  /** Waits for the writes already posted (their callers get their answers), then stops the worker. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.client.close();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = (): void => void this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}
