import type { MessagePort } from 'node:worker_threads';
import { serializeError } from './worker-errors';
import type { ProgressOf, RequestMessage, ResponseMessage, WorkerProtocol } from './worker-protocol';

/** One handler per request kind: it answers with the reply, or throws (any error, any class). */
export type WorkerHandlers<P extends WorkerProtocol> = {
  [K in keyof P]: (request: P[K]['request'], progress: (progress: ProgressOf<P[K]>) => void) => Promise<P[K]['reply']>;
};

/**
 * The worker side of {@link WorkerClient}: a worker script calls this once with its
 * `parentPort` and its handlers. Each request runs as soon as it arrives (a handler that
 * awaits lets the next one start); its reply or error goes back under its id, the error
 * through {@link serializeError} so the client revives its class.
 *
 * @throws {Error} when `port` is null: the script was loaded on the main thread, not in a worker.
 */
export function serveWorkerRequests<P extends WorkerProtocol>(port: MessagePort | null, handlers: WorkerHandlers<P>): void {
  if (!port) throw new Error('a worker script must run in a worker thread (parentPort is null)');
  const post = (msg: ResponseMessage): void => port.postMessage(msg);
  port.on('message', (msg: RequestMessage<P>) => {
    const handler = handlers[msg.kind] as WorkerHandlers<P>[keyof P] | undefined;
    const progress = (p: unknown): void => post({ id: msg.id, type: 'progress', progress: p });
    // `then` first, so a handler that throws before returning its promise is answered too.
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`the worker has no handler for request kind "${String(msg.kind)}"`);
        return handler(msg.request, progress);
      })
      .then((reply) => post({ id: msg.id, type: 'reply', reply }))
      // Also catches a reply that cannot be cloned (DataCloneError), so the client is never left waiting.
      .catch((err: unknown) => post({ id: msg.id, type: 'error', error: serializeError(err) }));
  });
}
