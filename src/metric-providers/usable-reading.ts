import { PrescaleError } from '../errors/prescale-error';
import type { MetricFallback, MetricReading, ProviderReading } from './metric-provider';

/**
 * The one rule for a value no consumer can use, applied by the metric value service so every
 * transport (external metrics API, KEDA external scaler, metrics-api) publishes the same number:
 *
 * 1. NaN or ±Infinity → the provider's last observation (`non-finite`), as for a stale series:
 *    a consumer never gets an error while a last observation exists (safety rule 2).
 * 2. Below 0 → 0 (`clamped-negative`): load, queue length and replicas are never negative, and
 *    the HPA would read a negative external value as "scale to the minimum".
 * 3. Non-finite with no finite last observation → FORECAST_NOT_READY. Not 0: serving 0 for
 *    garbage would scale the pool down on bad input, while an error makes the HPA hold its
 *    current replicas.
 *
 * Pure. The result's `fallback` names the last rule that changed the value (the provider's own
 * `stale`/`no-points` when none did); `stale` is passed through unchanged.
 * @throws {PrescaleError} FORECAST_NOT_READY when neither the value nor a last observation is finite.
 */
export function usableReading(raw: ProviderReading): MetricReading {
  const { lastObserved, fallback: given, ...rest } = raw;
  let value = rest.value;
  let fallback: MetricFallback | undefined = given;
  if (!Number.isFinite(value)) {
    if (lastObserved === undefined || !Number.isFinite(lastObserved)) {
      throw new PrescaleError('FORECAST_NOT_READY', `metric "${rest.metricName}" has no usable value (${value}) and no last observation to fall back to`);
    }
    value = lastObserved;
    fallback = 'non-finite';
  }
  if (value < 0) {
    value = 0;
    fallback = 'clamped-negative';
  }
  // `-0` would encode as "-0" in some encoders; 0 is what "clamped" means.
  if (Object.is(value, -0)) value = 0;
  return fallback === undefined ? { ...rest, value } : { ...rest, value, fallback };
}
