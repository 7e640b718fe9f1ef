import { parseDurationSeconds } from '../config/duration';
import { invalidInput } from '../errors/prescale-error';

/** How one number is chosen from a series' forecast. */
export interface ForecastQuery {
  /** How far ahead, in seconds (> 0, at most the series' configured horizon). */
  horizonSeconds: number;
  /** Quantile level, one of the series' served quantiles (e.g. 0.9). */
  quantile: number;
  /** `at`: the forecast at now + horizon; `max`: the maximum over [now, now + horizon]. */
  aggregate: 'at' | 'max';
}

/** The keys a forecast metric understands (label selector keys and KEDA `scalerMetadata` keys). */
export const FORECAST_QUERY_KEYS = ['horizon', 'quantile', 'aggregate'] as const;

/**
 * Defaults when a key is not given: the worst case of the next 5 minutes at p90 — the
 * cautious answer for capacity that takes minutes to start. The horizon is capped at the
 * series' configured horizon.
 */
export const FORECAST_QUERY_DEFAULTS = { horizonSeconds: 300, quantile: 0.9, aggregate: 'max' } as const;

/**
 * Parses `horizon`, `quantile` and `aggregate` from string parameters. Pure.
 * @param fieldPrefix how fields are named in errors (`labelSelector.` or `scalerMetadata.`).
 * @throws {PrescaleError} INVALID_INPUT naming the bad field; unknown keys are refused.
 */
export function parseForecastQuery(
  params: Readonly<Record<string, string>>,
  series: { horizonSeconds: number; quantiles: readonly number[] },
  fieldPrefix: string,
): ForecastQuery {
  for (const key of Object.keys(params)) {
    if (!(FORECAST_QUERY_KEYS as readonly string[]).includes(key)) {
      throw invalidInput(`${fieldPrefix}${key}`, `unknown key (use ${FORECAST_QUERY_KEYS.join(', ')})`);
    }
  }
  let horizonSeconds = Math.min(FORECAST_QUERY_DEFAULTS.horizonSeconds, series.horizonSeconds);
  if (params['horizon'] !== undefined) {
    const parsed = parseDurationSeconds(params['horizon']);
    if (parsed === null) throw invalidInput(`${fieldPrefix}horizon`, `"${params['horizon']}" is not a duration (e.g. 5m, 30s, 1h)`);
    if (parsed > series.horizonSeconds) {
      throw invalidInput(`${fieldPrefix}horizon`, `${params['horizon']} exceeds the series' horizon of ${series.horizonSeconds}s`);
    }
    horizonSeconds = parsed;
  }
  let quantile: number = FORECAST_QUERY_DEFAULTS.quantile;
  if (params['quantile'] !== undefined) {
    quantile = Number(params['quantile']);
    if (!series.quantiles.includes(quantile)) {
      throw invalidInput(`${fieldPrefix}quantile`, `"${params['quantile']}" is not served (served: ${series.quantiles.join(', ')})`);
    }
  }
  let aggregate: ForecastQuery['aggregate'] = FORECAST_QUERY_DEFAULTS.aggregate;
  if (params['aggregate'] !== undefined) {
    if (params['aggregate'] !== 'at' && params['aggregate'] !== 'max') {
      throw invalidInput(`${fieldPrefix}aggregate`, `"${params['aggregate']}" is not one of at, max`);
    }
    aggregate = params['aggregate'];
  }
  return { horizonSeconds, quantile, aggregate };
}
