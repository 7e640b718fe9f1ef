import type { Worker } from 'node:worker_threads';
import { reviveError } from './worker-errors';
import type { ProgressOf, RequestMessage, ResponseMessage, WorkerProtocol } from './worker-protocol';

export interface WorkerClientOptions {
  /** Names the workers in errors, e.g. `forecast worker` → "forecast worker exited with code 1". */
  name: string;
  /** Worker threads, each started on its first job; at least 1 (smaller values count as 1). */
  slots: number;
  /**
   * Starts one worker thread running a script that calls `serveWorkerRequests` (serve-worker-requests.ts). Called
   * for a slot on its first job, and again on the next job after its worker exited.
   */
  startWorker: () => Worker;
}

interface Slot {
  worker: Worker | null;
  /** Jobs posted to this slot's worker and not yet answered. */
  busy: number;
}

interface Pending {
  slot: Slot;
  /** The worker the job was posted to: a job is failed only by the exit of its own worker. */
  worker: Worker;
  resolve: (reply: unknown) => void;
  reject: (err: Error) => void;
  onProgress: ((progress: unknown) => void) | undefined;
}

/**
 * Request/reply over a fixed set of worker threads, for work that must not run on the thread
 * that answers HTTP. The contract:
 * - each request goes to the slot with the fewest unanswered jobs, so N slots run N jobs at
 *   once; a slot's worker receives its jobs in order and may run them concurrently;
 * - a worker error is revived on this side with its class (see `worker-errors.ts`);
 * - a worker that exits (crash, `process.exit`, out of memory) fails the jobs posted to it,
 *   and its slot starts a fresh worker on its next job;
 * - idle workers do not keep the process alive, busy ones do;
 * - `close()` fails unanswered jobs, waits for the workers to stop, and refuses later requests.
 */
export class WorkerClient<P extends WorkerProtocol> {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerClientOptions) {
    this.slots = Array.from({ length: Math.max(1, Math.floor(options.slots)) }, () => ({ worker: null, busy: 0 }));
  }

  /**
   * Posts one request and resolves with the worker's reply.
   * @throws whatever the worker's handler threw, revived; an Error when the worker exited
   *   before it answered or the client was closed.
   */
  request<K extends keyof P & string>(kind: K, request: P[K]['request'], onProgress?: (progress: ProgressOf<P[K]>) => void): Promise<P[K]['reply']> {
    return this.post(this.slots.reduce((a, b) => (b.busy < a.busy ? b : a)), kind, request, onProgress);
  }

  /**
   * Posts one request to the worker of slot `index` (taken modulo the slot count), for work
   * that must land where earlier work left state (a series' fitted model).
   * @throws as {@link request}.
   */
  requestOn<K extends keyof P & string>(index: number, kind: K, request: P[K]['request']): Promise<P[K]['reply']> {
    const slot = this.slots[Math.abs(Math.floor(index)) % this.slots.length] as Slot;
    return this.post(slot, kind, request, undefined);
  }

  private post<K extends keyof P & string>(slot: Slot, kind: K, request: P[K]['request'], onProgress: ((progress: ProgressOf<P[K]>) => void) | undefined): Promise<P[K]['reply']> {
    if (this.closed) return Promise.reject(new Error(`${this.options.name} pool is closed`));
    const worker = slot.worker ?? this.start(slot);
    const id = this.nextId++;
    const message = { id, kind, request } as RequestMessage<P>;
    return new Promise<P[K]['reply']>((resolve, reject) => {
      this.pending.set(id, { slot, worker, resolve, reject, onProgress: onProgress as Pending['onProgress'] });
      slot.busy++;
      worker.ref();
      try {
        worker.postMessage(message);
      } catch (err) {
        // A request that cannot be cloned never reached the worker: only it fails.
        this.settle(id);
        reject(err as Error);
      }
    });
  }

  /** Fails unanswered jobs and stops every worker; later requests are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
    for (const slot of this.slots) slot.worker = null;
    this.failWhere(() => true, new Error(`${this.options.name} pool closed`));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private start(slot: Slot): Worker {
    const worker = this.options.startWorker();
    worker.on('message', (msg: ResponseMessage) => this.onMessage(msg));
    // An uncaught error ends the worker: its 'exit' follows, but the error says more.
    worker.on('error', (err) => this.retire(slot, worker, err));
    worker.on('exit', (code) => this.retire(slot, worker, new Error(`${this.options.name} exited with code ${code}`)));
    // An idle worker must not keep the process alive; a busy one must (see request and settle).
    worker.unref();
    slot.worker = worker;
    return worker;
  }

  private onMessage(msg: ResponseMessage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') return p.onProgress?.(msg.progress);
    this.settle(msg.id);
    if (msg.type === 'reply') p.resolve(msg.reply);
    else p.reject(reviveError(msg.error));
  }

  /** Forgets an answered job, and lets its worker go idle when it was the last one. */
  private settle(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.slot.busy--;
    if (p.slot.busy === 0 && p.slot.worker === p.worker) p.worker.unref();
  }

  /** The worker is gone: fail its jobs, and free its slot for a fresh worker (once per worker). */
  private retire(slot: Slot, worker: Worker, err: Error): void {
    if (slot.worker === worker) slot.worker = null;
    this.failWhere((p) => p.worker === worker, err);
  }

  private failWhere(match: (p: Pending) => boolean, err: Error): void {
    for (const [id, p] of this.pending) {
      if (!match(p)) continue;
      this.settle(id);
      p.reject(err);
    }
  }
}
