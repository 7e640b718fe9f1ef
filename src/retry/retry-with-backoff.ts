/**
 * How `withRetry` retries. Sleep and randomness are injected so tests neither wait nor
 * depend on chance.
 */
export interface RetryOptions {
  /** Tries in all, ≥ 1 (1 = no retry). */
  attempts: number;
  /** Ceiling of the first retry's delay, in ms; doubles with each retry. */
  baseDelayMs: number;
  /** Upper bound of any one delay, in ms. */
  maxDelayMs: number;
  /** False for errors another attempt cannot fix (a bad query, a 409); those are thrown at once. */
  isRetryable: (err: unknown) => boolean;
  /** Defaults to an unref'd timer, so a pending retry never keeps the process alive. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); defaults to `Math.random`. */
  random?: () => number;
  /** Called before each retry's sleep; `retry` counts from 1. */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
}

/** The timing part of `RetryOptions`: what a caller with a fixed notion of "retryable" lets its own callers set. */
export type RetryTiming = Omit<RetryOptions, 'isRetryable' | 'onRetry'>;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The delay before retry number `retry + 1` (so `retry` counts from 0): exponential backoff
 * with "full jitter", uniform in [0, min(max, base·2^retry)), so clients that failed together
 * do not retry together (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function backoffDelayMs(retry: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `fn`, retrying the failures `isRetryable` accepts with `backoffDelayMs` between tries.
 * @throws the first non-retryable error, or the last error once `attempts` tries have failed.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let retry = 0; ; retry++) {
    try {
      return await fn();
    } catch (err) {
      if (retry + 1 >= options.attempts || !options.isRetryable(err)) throw err;
      const delayMs = backoffDelayMs(retry, options, random);
      options.onRetry?.(err, retry + 1, delayMs);
      await sleep(delayMs);
    }
  }
}
