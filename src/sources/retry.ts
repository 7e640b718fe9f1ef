/** How to retry: injected sleep and randomness keep it testable. */
export interface RetryOptions {
  /** Retries after the first attempt (0 = try once). */
  retries: number;
  /** Delay before the first retry, in ms; doubles with each retry. */
  baseDelayMs: number;
  /** Upper bound of one delay, in ms. */
  maxDelayMs: number;
  /** False for errors that another attempt cannot fix (bad query); they are thrown at once. */
  isRetryable: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  random?: () => number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Exponential backoff with "full jitter": each delay is uniform in [0, min(max, base·2^n)],
 * so clients that failed together do not retry together
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function backoffDelayMs(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Runs `fn`, retrying retryable failures; throws the last error when retries run out. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= options.retries || !options.isRetryable(err)) throw err;
      const delayMs = backoffDelayMs(attempt, options, random);
      options.onRetry?.(err, attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }
}
