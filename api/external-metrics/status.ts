import type { ErrorCode, PrescaleError } from '../../src/errors/prescale-error';

/** The Kubernetes mapping of the error catalog: HTTP code and `Status.reason` per error code. */
export const KUBERNETES_STATUS: Readonly<Record<ErrorCode, { code: number; reason: string }>> = {
  INVALID_INPUT: { code: 400, reason: 'BadRequest' },
  INVALID_CONFIG: { code: 500, reason: 'InternalError' },
  SERIES_NOT_FOUND: { code: 404, reason: 'NotFound' },
  POOL_NOT_FOUND: { code: 404, reason: 'NotFound' },
  ROUTE_NOT_FOUND: { code: 404, reason: 'NotFound' },
  FORECAST_NOT_READY: { code: 503, reason: 'ServiceUnavailable' },
  PAYLOAD_TOO_LARGE: { code: 413, reason: 'RequestEntityTooLarge' },
  MODEL_NOT_FOUND: { code: 404, reason: 'NotFound' },
  TRAINING_BUSY: { code: 409, reason: 'Conflict' },
  INSUFFICIENT_HISTORY: { code: 503, reason: 'ServiceUnavailable' },
  UPSTREAM_UNAVAILABLE: { code: 503, reason: 'ServiceUnavailable' },
  QUOTA_EXCEEDED: { code: 409, reason: 'Conflict' },
  METRIC_NOT_FOUND: { code: 404, reason: 'NotFound' },
  NAMESPACE_NOT_SERVED: { code: 404, reason: 'NotFound' },
  UNAUTHENTICATED: { code: 401, reason: 'Unauthorized' },
  FORBIDDEN: { code: 403, reason: 'Forbidden' },
  METHOD_NOT_ALLOWED: { code: 405, reason: 'MethodNotAllowed' },
  INTERNAL: { code: 500, reason: 'InternalError' },
};

/** A meta/v1 `Status` (`k8s.io/apimachinery/pkg/apis/meta/v1/types.go`); client-go shows `message` verbatim. */
export interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: { group?: string; kind?: string; name?: string };
}

/** The `Status` body for an error. Internal errors never leak details (prometheus-adapter does the same). */
export function toStatus(err: PrescaleError, details?: KubernetesStatus['details']): KubernetesStatus {
  const { code, reason } = KUBERNETES_STATUS[err.code];
  const message = err.code === 'INTERNAL' ? 'unable to fetch metrics' : err.message;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) };
}
