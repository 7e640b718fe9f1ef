import { PrescaleError } from '../errors/prescale-error';
import type { MetricProvider, MetricReading } from './metric-provider';
import { usableReading } from './usable-reading';

/** What every transport asks: one metric, narrowed by string parameters. */
export interface MetricRequest {
  metricName: string;
  /** Namespace of the caller (external metrics path, ScaledObject); absent for namespace-less transports. */
  namespace?: string;
  /** Selector pins or scaler metadata (provider-specific keys only). */
  params: Readonly<Record<string, string>>;
  /** How parameter fields are named in errors: `labelSelector.` or `scalerMetadata.`. */
  fieldPrefix: string;
}

export interface MetricValueServiceOptions {
  /** Provider table, asked in order; the first that owns a name serves it. */
  providers: readonly MetricProvider[];
  /** Namespaces served; empty = every namespace. */
  namespaces: readonly string[];
}

/**
 * The one service the external metrics API, the KEDA external scaler and the metrics-api
 * JSON endpoint call: namespace check, provider lookup, one value. The value is always
 * finite and ≥ 0, with `fallback` naming the rule that produced it when it is not the
 * provider's own (see `usableReading`), so transports only encode.
 */
export class MetricValueService {
  private readonly namespaces: ReadonlySet<string>;

  constructor(private readonly options: MetricValueServiceOptions) {
    this.namespaces = new Set(options.namespaces);
  }

  /** True when `namespace` is served (every namespace when the list is empty). */
  servesNamespace(namespace: string): boolean {
    return this.namespaces.size === 0 || this.namespaces.has(namespace);
  }

  /**
   * One usable value: finite, ≥ 0 (see `usableReading` for the fallbacks).
   * @throws {PrescaleError} NAMESPACE_NOT_SERVED, METRIC_NOT_FOUND, INVALID_INPUT, FORECAST_NOT_READY
   * (no forecast yet, or no usable value and no last observation).
   */
  read(request: MetricRequest): MetricReading {
    if (request.namespace !== undefined && !this.servesNamespace(request.namespace)) {
      throw new PrescaleError('NAMESPACE_NOT_SERVED', `namespace "${request.namespace}" is not served by prescale`, 'namespace');
    }
    const provider = this.options.providers.find((p) => p.owns(request.metricName));
    if (!provider) {
      throw new PrescaleError('METRIC_NOT_FOUND', `the server could not find the metric ${request.metricName} for namespaces`, 'metricName');
    }
    return usableReading(provider.read(request.metricName, request.params, request.fieldPrefix));
  }

  /** Every metric name any provider serves (for discovery). */
  metricNames(): string[] {
    return [...new Set(this.options.providers.flatMap((p) => p.metricNames()))].sort();
  }
}
