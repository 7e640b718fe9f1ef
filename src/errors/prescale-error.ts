/**
 * The error catalog: every failure the service reports has one stable code. Each transport
 * maps codes once (REST: `api/rest/problem.ts`).
 */
export const ERROR_CODES = {
  INVALID_INPUT: 'The request or file is malformed, or a value is out of range.',
  INVALID_CONFIG: 'The configuration does not match the schema.',
  SERIES_NOT_FOUND: 'No series with that name is configured or stored.',
  POOL_NOT_FOUND: 'No pool with that name is configured.',
  ROUTE_NOT_FOUND: 'No endpoint answers that method and path.',
  FORECAST_NOT_READY: 'The series has no samples yet, so there is no forecast and no last observation to serve.',
  PAYLOAD_TOO_LARGE: 'The request carries more samples or bytes than the documented limit.',
  MODEL_NOT_FOUND: 'No model version with that name (or no earlier version to roll back to) exists for the series.',
  TRAINING_BUSY: 'A training run for the series is already in progress.',
  INSUFFICIENT_HISTORY: 'A model needs more history than the series has.',
  UPSTREAM_UNAVAILABLE: 'A source (e.g. Prometheus) did not answer.',
  QUOTA_EXCEEDED: 'A plan was cut by a guard quota.',
  METRIC_NOT_FOUND: 'No external metric with that name is served.',
  NAMESPACE_NOT_SERVED: 'The namespace is not in the list of namespaces served.',
  UNAUTHENTICATED: 'The request carries no valid credentials (front-proxy certificate or bearer token).',
  FORBIDDEN: 'The authenticated identity may not read that namespace.',
  METHOD_NOT_ALLOWED: 'The path exists but does not answer that method.',
  INTERNAL: 'An unexpected failure; the log has the details.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PrescaleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The offending field, as a path (`series[0].step`, `body[12].v`), when one is to blame. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PrescaleError';
  }
}

export function invalidInput(field: string, reason: string): PrescaleError {
  return new PrescaleError('INVALID_INPUT', `${field}: ${reason}`, field);
}
