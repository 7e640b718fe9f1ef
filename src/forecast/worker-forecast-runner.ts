import { Worker } from 'node:worker_threads';
import { type Forecast, InsufficientHistoryError } from '../../models/core/forecaster';
import type { ForecastJob, ForecastRunner } from './forecast-runner';
import { workerScriptPath } from './worker-script-path';

interface Pending {
  resolve: (f: Forecast) => void;
  reject: (e: Error) => void;
}

interface WorkerReply {
  id: number;
  forecast?: Forecast;
  error?: { message: string; name: string; code?: string; model?: string; required?: number; actual?: number };
}

/**
 * Runs forecast jobs on a worker thread, so a model fit never blocks the thread that
 * answers HTTP. Jobs queue in the worker in arrival order. A crashed worker fails its
 * pending jobs and is replaced on the next job.
 */
export class WorkerForecastRunner implements ForecastRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  run(job: ForecastJob): Promise<Forecast> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Forecast>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error('forecast runner closed'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScriptPath('src/forecast/forecast-worker'));
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) => {
      this.worker = null;
      this.failAll(err);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new Error(`forecast worker exited with code ${code}`));
    });
    // An idle worker must not keep the process alive; a busy one must (see run and settle).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.forecast) pending.resolve(reply.forecast);
    else pending.reject(toError(reply.error));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function toError(e: WorkerReply['error']): Error {
  if (e?.code === 'INSUFFICIENT_HISTORY') return new InsufficientHistoryError(e.model ?? 'model', e.required ?? 0, e.actual ?? 0);
  return new Error(e?.message ?? 'forecast worker failed');
}
