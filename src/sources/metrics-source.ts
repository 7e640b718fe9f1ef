import type { Sample } from '../series/sample';

/** A step-aligned time range to pull. Times are epoch ms; both ends are inclusive. */
export interface PullRange {
  fromMs: number;
  toMs: number;
  stepSeconds: number;
}

/**
 * A place samples come from (Prometheus and compatible APIs). Sources only bring samples
 * in: the pull scheduler writes them to the history store.
 */
export interface MetricsSource {
  /** Human-readable identity for logs and status (e.g. the URL and the query). */
  readonly description: string;
  /**
   * Deadline of one request, in ms, when the source has one. Start-up waits at most the
   * longest of these for the backfill round, so a hung source never holds readiness.
   */
  readonly deadlineMs?: number;
  /**
   * Samples of the one series the source yields, at the step grid inside `range`, oldest
   * first. Steps without data are absent. Large ranges are split by the source itself.
   * @throws {PrescaleError} UPSTREAM_UNAVAILABLE when the source cannot be reached after its
   *   retries or its answer is too large; INVALID_CONFIG when the query is rejected (HTTP
   *   400/422) or yields more than one series: the scheduler then reports `config_error`.
   */
  pull(range: PullRange): Promise<Sample[]>;
}
