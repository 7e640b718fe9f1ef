import { redactSecrets } from '../telemetry/redact-secrets';

export type SourceState = 'unknown' | 'up' | 'down' | 'config_error';

/** What serving knows about the source of one series; shown in /readyz, GET /v1/status and /metrics. */
export interface SourceStatus {
  series: string;
  /** The source's identity (URL and query). */
  source: string;
  /**
   * `unknown` before the first pull finished; `down` after a pull failed (unreachable, too
   * slow, a bad answer), until one succeeds; `config_error` when the source rejects the
   * query itself (HTTP 400/422, several series, an unreadable credential file): no outage
   * retries, logged once, to be fixed in the config.
   */
  state: SourceState;
  /** True once the first pull (the backfill of `history`) succeeded. */
  backfilled: boolean;
  lastAttemptMs: number | null;
  lastSuccessMs: number | null;
  /** Message of the last failure; cleared by the next success. */
  lastError: string | null;
  /** Failed pulls in a row (each after its own retries). */
  consecutiveFailures: number;
}

export function initialSourceStatus(series: string, source: string): SourceStatus {
  return { series, source: redactSecrets(source), state: 'unknown', backfilled: false, lastAttemptMs: null, lastSuccessMs: null, lastError: null, consecutiveFailures: 0 };
}

/** A copy of `status` fit to show or log: credentials in its source URL and last error are redacted. Pure. */
export function redactSourceStatus(status: SourceStatus): SourceStatus {
  return { ...status, source: redactSecrets(status.source), lastError: status.lastError === null ? null : redactSecrets(status.lastError) };
}
