import type { SerializedError } from './worker-errors';

/**
 * What a worker script answers: request kind → the request it takes, the reply it resolves
 * with and, for long jobs, the progress it reports on the way. Requests, replies and progress
 * are plain data: they cross the thread boundary by structured clone.
 *
 * Declare one with a `type` alias (an `interface` has no index signature and does not fit):
 * `type ForecastProtocol = { forecast: { request: ForecastJob; reply: Forecast } }`.
 */
export type WorkerProtocol = Record<string, { request: unknown; reply: unknown; progress?: unknown }>;

/** The progress one kind of request reports; `never` for a kind that reports none. */
export type ProgressOf<E> = E extends { progress: infer P } ? P : never;

/** The message the client posts to a worker: one per request, with an id unique per client. */
export type RequestMessage<P extends WorkerProtocol> = {
  [K in keyof P & string]: { id: number; kind: K; request: P[K]['request'] };
}[keyof P & string];

/**
 * The messages a worker posts back for a request: any number of `progress`, then exactly one
 * `reply` or `error`.
 */
export type ResponseMessage =
  | { id: number; type: 'progress'; progress: unknown }
  | { id: number; type: 'reply'; reply: unknown }
  | { id: number; type: 'error'; error: SerializedError };
