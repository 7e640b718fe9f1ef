import { Worker } from 'node:worker_threads';
import type { EpochProgress } from '../../models/lstm/lstm-training';
import type { TfBackendRequest } from '../../models/tf-backend/backend-selection';
import { workerScriptPath } from '../../src/forecast/worker-script-path';
import type { TrainResult } from '../trainer';
import type { FromWorker, ToWorker, TrainingJob } from './training-messages';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (p: EpochProgress) => void;
}

interface Slot {
  worker: Worker | null;
  busy: number;
}

/**
 * A fixed pool of worker threads for training (`training.workers`), so model fits never run
 * on the thread that answers HTTP. Each job goes to the least busy worker; a worker that
 * crashes fails its jobs and is replaced on the next one. Idle workers do not keep the
 * process alive.
 */
export class TrainingPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private nextId = 1;

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, busy: 0 }));
  }

  train(job: TrainingJob, onProgress?: (p: EpochProgress) => void): Promise<TrainResult> {
    return this.send((id) => ({ id, kind: 'train', job }), onProgress) as Promise<TrainResult>;
  }

  /** Activates the backend in a worker and reports which one ran. */
  probe(backend: TfBackendRequest): Promise<string> {
    return this.send((id) => ({ id, kind: 'probe', backend })) as Promise<string>;
  }

  async close(): Promise<void> {
    const workers = this.slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
    for (const s of this.slots) s.worker = null;
    await Promise.all(workers.map((w) => w.terminate()));
    for (const p of this.pending.values()) p.reject(new Error('training pool closed'));
    this.pending.clear();
  }

  private send(make: (id: number) => ToWorker, onProgress?: (p: EpochProgress) => void): Promise<unknown> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const worker = this.ensure(slot);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot, ...(onProgress ? { onProgress } : {}) });
      slot.busy++;
      worker.ref();
      worker.postMessage(make(id));
    });
  }

  private ensure(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = new Worker(workerScriptPath('training/pool/training-worker'));
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => this.failSlot(slot, err));
    worker.on('exit', (code) => {
      if (slot.worker === worker) this.failSlot(slot, new Error(`training worker exited with code ${code}`));
    });
    worker.unref();
    slot.worker = worker;
    return worker;
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') return p.onProgress?.(msg.progress);
    this.pending.delete(msg.id);
    p.slot.busy--;
    if (p.slot.busy === 0) p.slot.worker?.unref();
    if (msg.kind === 'result') p.resolve(msg.result);
    else if (msg.kind === 'backend') p.resolve(msg.backend);
    else p.reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
  }

  private failSlot(slot: Slot, err: Error): void {
    slot.worker = null;
    slot.busy = 0;
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(err);
    }
  }
}
