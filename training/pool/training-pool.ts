import { Worker } from 'node:worker_threads';
import type { EpochProgress } from '../../models/lstm/lstm-training';
import type { TfBackendRequest } from '../../models/tf-backend/backend-selection';
import { WorkerClient } from '../../src/workers/worker-client';
import { workerScriptPath } from '../../src/workers/worker-script-path';
import type { TrainResult } from '../trainer';
import type { TrainingJob, TrainingProtocol } from './training-messages';

/**
 * A fixed pool of worker threads for training (`training.workers`), so model fits never run
 * on the thread that answers HTTP. Each job goes to the least busy worker; a worker that
 * exits fails its jobs and is replaced on the next one. Idle workers do not keep the
 * process alive. Errors thrown in a worker arrive with their class: a catalog error is a
 * `PrescaleError` with its code and field.
 */
export class TrainingPool {
  private readonly client: WorkerClient<TrainingProtocol>;

  constructor(size: number) {
    this.client = new WorkerClient<TrainingProtocol>({
      name: 'training worker',
      slots: size,
      startWorker: () => new Worker(workerScriptPath('training/pool/training-worker')),
    });
  }

  /** Trains and registers a model for `job.seriesName`; `onProgress` hears each epoch. */
  train(job: TrainingJob, onProgress?: (p: EpochProgress) => void): Promise<TrainResult> {
    return this.client.request('train', job, onProgress);
  }

  /** Activates the backend in a worker and reports which one ran. */
  probe(backend: TfBackendRequest): Promise<string> {
    return this.client.request('probe', backend);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
