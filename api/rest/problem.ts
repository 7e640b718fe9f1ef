import type { Response } from 'express';
import { ERROR_CODES, type ErrorCode, PrescaleError } from '../../src/errors/prescale-error';

/** The REST mapping of the error catalog: one HTTP status per code. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_CONFIG: 400,
  SERIES_NOT_FOUND: 404,
  POOL_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  FORECAST_NOT_READY: 503,
  PAYLOAD_TOO_LARGE: 413,
  MODEL_NOT_FOUND: 404,
  TRAINING_BUSY: 409,
  INSUFFICIENT_HISTORY: 422,
  UPSTREAM_UNAVAILABLE: 503,
  QUOTA_EXCEEDED: 409,
  METRIC_NOT_FOUND: 404,
  NAMESPACE_NOT_SERVED: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL: 500,
};

/** RFC 9457 problem details, with the stable code and the offending field. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
}

export function toProblem(err: PrescaleError): Problem {
  return {
    type: `https://prescale.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_CODES[err.code],
    status: HTTP_STATUS[err.code],
    detail: err.message,
    code: err.code,
    ...(err.field !== undefined ? { field: err.field } : {}),
  };
}

export function sendProblem(res: Response, err: PrescaleError): void {
  const problem = toProblem(err);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
