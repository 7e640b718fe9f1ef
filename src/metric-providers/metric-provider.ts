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
   * @throws {PrescaleError} INVALID_INPUT for bad params, FORECAST_NOT_READY when no value exists yet.
   */
  read(metricName: string, params: Readonly<Record<string, string>>, fieldPrefix: string): MetricReading;
  /** Names to list in discovery. */
  metricNames(): string[];
}

/** One metric value as the transports publish it. */
export interface MetricReading {
  metricName: string;
  value: number;
  /** Epoch ms the value refers to (the read time). */
  timestampMs: number;
  /** Seconds the value summarises (the series step), when meaningful. */
  windowSeconds?: number;
  /** True when the source is stale and the value is a fallback (safety rule 2). */
  stale: boolean;
}
