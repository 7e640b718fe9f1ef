import { Worker } from 'node:worker_threads';
import type { FittedForecaster, RegularSeries } from '../models/core/forecaster';
import { modelKind } from '../models/model-kinds';
import { WorkerClient } from '../src/workers/worker-client';
import { workerScriptPath } from '../src/workers/worker-script-path';
import type { FitScheduleOptions, FitSpec } from './fit-schedule';
import type { FitSource } from './fit-source';
import type { FitOutcome, FitsAheadProtocol } from './fits-ahead-messages';

/**
 * The replay's scheduled fits, made ahead in a worker thread while the replay conditions the
 * model it has. A replay's fits depend on the trace only, never on what a policy did, so the
 * worker can walk the schedule on its own (fits-ahead-worker.ts), each fit on the prefix it is
 * due at; the replay takes each outcome when its history reaches that length, and waits only
 * if the worker is behind. On two cores this puts the trainings of a trained model (seconds
 * each) beside the conditioning, instead of before it; the forecasts are the same as
 * {@link inlineFits}' (test/simulate/fits-ahead.test.ts).
 */
export class FitsAhead implements FitSource {
  private readonly client = new WorkerClient<FitsAheadProtocol>({
    name: 'replay fit worker',
    slots: 1,
    startWorker: () => new Worker(workerScriptPath('simulate/fits-ahead-worker')),
  });
  private readonly outcomes: FitOutcome[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    trace: RegularSeries,
    private readonly spec: FitSpec,
    schedule: FitScheduleOptions,
  ) {
    const values = Float64Array.from(trace.values as ArrayLike<number>);
    this.client
      .request('fitAll', { trace: { ...trace, values }, spec, schedule }, (outcome) => this.arrive(outcome))
      .catch((err: unknown) => {
        this.failure = err instanceof Error ? err : new Error(String(err));
        this.arrive(null);
      });
  }

  async fitAt(length: number): Promise<FittedForecaster | null> {
    while (this.outcomes.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const outcome = this.outcomes.shift()!;
    // Both sides follow nextFitAttempt; a mismatch is a bug, never a result to replay on.
    if (outcome.length !== length) throw new Error(`replay fit worker fitted at length ${outcome.length}, the replay is due at ${length}`);
    // The artifact's own kind: under auto each training may choose another.
    return outcome.artifact ? modelKind(outcome.artifact.kind).fromArtifact(outcome.artifact) : null;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private arrive(outcome: FitOutcome | null): void {
    if (outcome) this.outcomes.push(outcome);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
