/**
 * A source of external metric values. The metric value service asks each provider in its
 * table, in order, whether it owns a metric name; the first that does answers. Forecasts are
 * one provider; replica plans can be another, added to the table without touching any
 * transport.
 */
export interface MetricProvider {
  /** Short name for logs and errors (`forecast`, `plan`). */
  readonly kind: string;
  /** True when this provider serves `metricName`. Must be cheap: it runs on every request. */
  owns(metricName: string): boolean;
  /**
   * The one value of `metricName` selected by `params` (label selector pins or KEDA
   * `scalerMetadata` keys, already stripped of transport-only keys).
   * @param fieldPrefix how parameter fields are named in errors (`labelSelector.`, `scalerMetadata.`).
   * The value may still be unusable (NaN, ±Infinity, negative): the metric value service, not
   * the provider, applies the one rule for that (`usableReading`).
   * @throws {PrescaleError} INVALID_INPUT for bad params, FORECAST_NOT_READY when no value exists yet.
   */
  read(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): ProviderReading;
  /** Names to list in discovery. */
  metricNames(): string[];
}

/**
 * Why a published value is not the provider's own forecast value (safety rule 2). One name
 * per rule, so `/metrics`, logs and the metrics-api JSON can say which one applied:
 * - `stale`: the series has no fresh samples; the value is the last good forecast floored at the last observation.
 * - `no-points`: no forecast step lies in the asked range; the value is the last observation.
 * - `non-finite`: the provider's value was NaN or ±Infinity; the value is the last observation.
 * - `clamped-negative`: the value (forecast or observation) was below 0; the value is 0.
 * - `trust-gate`: live accuracy fell below the series' trust gate; the value is the reactive demand, the peak observation over the observation-floor window (docs/accuracy.md).
 */
export type MetricFallback = 'stale' | 'no-points' | 'non-finite' | 'clamped-negative' | 'trust-gate';

/**
 * One metric value as the transports publish it. Readings from the metric value service are
 * usable: `value` is finite and ≥ 0, so a transport only encodes it.
 */
export interface MetricReading {
  metricName: string;
  /** Finite and ≥ 0 (in the series' unit, or replicas for a plan metric). */
  value: number;
  /** Epoch ms the value refers to (the read time). */
  timestampMs: number;
  /** Seconds the value summarises (the series step), when meaningful. */
  windowSeconds?: number;
  /** True when the series behind the value has no fresh samples (safety rule 2); a fallback for another reason does not make it stale. */
  stale: boolean;
  /** Which fallback rule produced `value`, when one did: the last one that changed it. */
  fallback?: MetricFallback;
}

/** What a provider answers: a reading whose value may be unusable, and what to fall back to. */
export interface ProviderReading extends MetricReading {
  /** The latest observed value of the series behind the metric; absent when the provider has none (a plan). */
  lastObserved?: number;
}
