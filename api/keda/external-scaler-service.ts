import { type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation, type sendUnaryData, status } from '@grpc/grpc-js';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { MetricValueService } from '../../src/metric-providers/metric-value-service';
import { parseScalerMetadata } from './scaler-metadata';
import type { Logger } from '../../src/telemetry/logger';
import { GRPC_STATUS } from './grpc-status';

/** `ScaledObjectRef` as decoded by proto-loader (`defaults: true`). */
export interface ScaledObjectRef {
  name: string;
  namespace: string;
  scalerMetadata: Record<string, string>;
}

interface GetMetricsRequest {
  scaledObjectRef: ScaledObjectRef | null;
  metricName: string;
}

export interface ExternalScalerDeps {
  metrics: MetricValueService;
  logger: Logger;
  /** How often StreamIsActive pushes the activity decision. */
  streamIntervalMs: number;
}

/**
 * KEDA's `externalscaler.ExternalScaler` service (package externalscaler, as KEDA calls it): decode the
 * ScaledObjectRef, read one value from the metric value service, encode. Activity is
 * `value > activationValue`, as KEDA's own metrics-api scaler defines it.
 */
export function externalScalerService(deps: ExternalScalerDeps): UntypedServiceImplementation {
  const read = (ref: ScaledObjectRef | null, requireTarget: boolean): { value: number; target: number; activation: number; metricName: string } => {
    if (!ref) throw new PrescaleError('INVALID_INPUT', 'scaledObjectRef: required', 'scaledObjectRef');
    const trigger = parseScalerMetadata(ref.scalerMetadata ?? {}, { requireTarget });
    const reading = deps.metrics.read({
      metricName: trigger.metricName,
      params: trigger.params,
      fieldPrefix: 'scalerMetadata.',
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
    });
    return { value: reading.value, target: trigger.targetValue, activation: trigger.activationValue, metricName: trigger.metricName };
  };

  return {
    IsActive(call: ServerUnaryCall<ScaledObjectRef, unknown>, callback: sendUnaryData<unknown>) {
      unary(callback, () => {
        const r = read(call.request, false);
        return { result: r.value > r.activation };
      });
    },
    GetMetricSpec(call: ServerUnaryCall<ScaledObjectRef, unknown>, callback: sendUnaryData<unknown>) {
      unary(callback, () => {
        const trigger = parseScalerMetadata(call.request.scalerMetadata ?? {}, { requireTarget: true });
        // KEDA uses the float when > 0; the deprecated int is kept consistent for older KEDA.
        return { metricSpecs: [{ metricName: trigger.metricName, targetSize: Math.max(1, Math.round(trigger.targetValue)), targetSizeFloat: trigger.targetValue }] };
      });
    },
    GetMetrics(call: ServerUnaryCall<GetMetricsRequest, unknown>, callback: sendUnaryData<unknown>) {
      unary(callback, () => {
        const r = read(call.request.scaledObjectRef, false);
        if (call.request.metricName && call.request.metricName !== r.metricName) {
          throw new PrescaleError('METRIC_NOT_FOUND', `metric "${call.request.metricName}" is not the one this trigger serves ("${r.metricName}")`, 'metricName');
        }
        // The value is already finite and ≥ 0 (the metric value service's rule); only the int64 needs a bound.
        return { metricValues: [{ metricName: r.metricName, metricValue: Math.min(Math.round(r.value), Number.MAX_SAFE_INTEGER), metricValueFloat: r.value }] };
      });
    },
    StreamIsActive(call: ServerWritableStream<ScaledObjectRef, unknown>) {
      const push = (): boolean => {
        try {
          const r = read(call.request, false);
          call.write({ result: r.value > r.activation });
          return true;
        } catch (err) {
          clearInterval(timer);
          call.emit('error', toServiceError(err, deps.logger)); // grpc-js turns an 'error' event into the call's status
          return false;
        }
      };
      const timer = setInterval(push, deps.streamIntervalMs);
      call.on('cancelled', () => clearInterval(timer));
      call.on('close', () => clearInterval(timer));
      push();
    },
    StreamMetricSpec(call: ServerWritableStream<ScaledObjectRef, unknown>) {
      // Optional upstream; UNIMPLEMENTED makes KEDA fall back to GetMetricSpec silently.
      call.emit('error', Object.assign(new Error('StreamMetricSpec is not implemented; use GetMetricSpec'), { code: status.UNIMPLEMENTED }));
    },
  };

  function unary<T>(callback: sendUnaryData<unknown>, body: () => T): void {
    try {
      callback(null, body());
    } catch (err) {
      callback(toServiceError(err, deps.logger));
    }
  }
}

function toServiceError(err: unknown, logger: Logger): Error & { code: status } {
  if (err instanceof PrescaleError) return Object.assign(new Error(err.message), { code: GRPC_STATUS[err.code] });
  logger.error({ err }, 'external scaler call failed');
  return Object.assign(new Error('internal error'), { code: status.INTERNAL });
}
