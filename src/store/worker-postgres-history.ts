import { Worker } from 'node:worker_threads';
import type { RegularSeries } from '../../models/core/forecaster';
import type { Sample } from '../series/sample';
import { WorkerClient } from '../workers/worker-client';
import { type SerializedError, reviveError } from '../workers/worker-errors';
import { workerScriptPath } from '../workers/worker-script-path';
import type { AppendItem, AppendOutcome } from './group-commit';
import type { StepQuery } from './step-read';

/** An append's outcome as plain data: its error crosses the thread boundary serialized. */
export type WireAppendOutcome = { ok: true; changed: number } | { ok: false; error: SerializedError };

/** What `postgres-history-worker.ts` answers (the functions of postgres-sample-queries.ts). */
export type PostgresHistoryProtocol = {
  steps: { request: { url: string; series: string; query: StepQuery }; reply: RegularSeries };
  /** Progress: each statement's outcomes as it commits, by index into `items`, but the last one's (the reply carries them all). */
  append: { request: { url: string; writerId: string; items: readonly AppendItem[] }; reply: WireAppendOutcome[]; progress: { index: number; outcome: WireAppendOutcome }[] };
  last: { request: { url: string; series: string }; reply: Sample | null };
};

/**
 * Runs the statements of every refresh and push (step reads, `last`, appends) on a worker
 * thread with its own pool. The `pg` driver parses replies and submits queries on the thread
 * that owns the connection: on the serving thread that was most of its busy time in a
 * 1,000-series steady state (event-loop p99 62–66 ms, 64–66 scavenges per round, against 5–15
 * for SQLite), then, with only the reads moved, still 27 % of it (two statements per series
 * and round). Here a step read crosses back as one Float64Array, a push group's outcomes as one
 * array and `last` as one sample. One thread: the statements wait on the network, and its pool runs several at once.
 */
export class WorkerPostgresHistory {
  private readonly client = new WorkerClient<PostgresHistoryProtocol>({
    name: 'postgres history worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('src/store/postgres-history-worker')),
  });

  constructor(private readonly url: string) {}

  /** Each method @throws the driver's error (revived, with its SQLSTATE `code`); an Error when the worker exits before it answers. */
  readSteps(series: string, query: StepQuery): Promise<RegularSeries> {
    return this.client.request('steps', { url: this.url, series, query });
  }

  /**
   * One group commit's batches in one message (a push of 100 series: one message each way,
   * not 100; one more back for each further statement of the group), upserted as
   * `appendSampleGroup` does; `onSettled` hears of each statement's items as it commits. @returns per item, in order: how many samples
   * were new or got a new value, or its error (revived, with its SQLSTATE `code`).
   */
  async append(items: readonly AppendItem[], writerId: string, onSettled?: (index: number, outcome: AppendOutcome) => void): Promise<AppendOutcome[]> {
    const outcomes = await this.client.request('append', { url: this.url, writerId, items }, (settled) => {
      for (const { index, outcome } of settled) onSettled?.(index, revived(outcome));
    });
    return outcomes.map(revived);
  }

  last(series: string): Promise<Sample | null> {
    return this.client.request('last', { url: this.url, series });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function revived(o: WireAppendOutcome): AppendOutcome {
  return o.ok ? o : { ok: false, error: reviveError(o.error) };
}
