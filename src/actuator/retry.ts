import { KubeApiError } from './kube-api';

export interface RetryOptions {
  /** Total tries, ≥ 1. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests do not wait. */
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injected for deterministic jitter. */
  random?: () => number;
}

export const defaultRetry: RetryOptions = {
  attempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Calls `fn`, retrying transient failures (network, 429, 5xx) with exponential backoff and
 * "full jitter" (delay uniformly in [0, min(max, base·2^n)]), as the AWS architecture blog's
 * "Exponential Backoff And Jitter" recommends. Other errors (404, 409, 422 …) are thrown at
 * once: a 409 needs a re-read, not the same request again.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = defaultRetry): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = err instanceof KubeApiError && err.retryable;
      if (!retryable || attempt >= options.attempts) throw err;
      const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(Math.round(random() * cap));
    }
  }
}
