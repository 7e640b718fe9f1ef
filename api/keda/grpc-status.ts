import { status } from '@grpc/grpc-js';
import type { ErrorCode } from '../../src/errors/prescale-error';

/** The gRPC mapping of the error catalog (KEDA logs the message and counts the failure for fallback). */
export const GRPC_STATUS: Readonly<Record<ErrorCode, status>> = {
  INVALID_INPUT: status.INVALID_ARGUMENT,
  INVALID_CONFIG: status.INTERNAL,
  SERIES_NOT_FOUND: status.NOT_FOUND,
  POOL_NOT_FOUND: status.NOT_FOUND,
  ROUTE_NOT_FOUND: status.UNIMPLEMENTED,
  FORECAST_NOT_READY: status.UNAVAILABLE,
  PAYLOAD_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  MODEL_NOT_FOUND: status.NOT_FOUND,
  TRAINING_BUSY: status.ABORTED,
  INSUFFICIENT_HISTORY: status.FAILED_PRECONDITION,
  UPSTREAM_UNAVAILABLE: status.UNAVAILABLE,
  QUOTA_EXCEEDED: status.RESOURCE_EXHAUSTED,
  METRIC_NOT_FOUND: status.NOT_FOUND,
  NAMESPACE_NOT_SERVED: status.NOT_FOUND,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  METHOD_NOT_ALLOWED: status.UNIMPLEMENTED,
  INTERNAL: status.INTERNAL,
};
