import { withRetry } from '../retry/retry-with-backoff';

/** SQLSTATEs worth one more try: a deadlock victim or a serialization failure did nothing. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs one statement, again (up to 3 tries in all, at once) when PostgreSQL rolled it back
 * as a deadlock victim or for a serialization failure: such a statement changed nothing, and
 * the retry usually finds the other transaction gone. Any other error is thrown at once.
 */
export function withConflictRetry<T>(run: () => Promise<T>): Promise<T> {
  return withRetry(run, { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, isRetryable: (err) => RETRYABLE.has((err as { code?: string }).code ?? '') });
}
