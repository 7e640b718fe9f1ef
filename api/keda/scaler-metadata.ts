import { invalidInput } from '../../src/errors/prescale-error';
import { FORECAST_QUERY_KEYS } from '../../src/metric-providers/forecast-query';

/** A KEDA trigger's `scalerMetadata`, read into what Prescale needs. */
export interface ScalerTrigger {
  /** The series (= metric name). */
  metricName: string;
  /** Provider parameters (`horizon`, `quantile`, `aggregate`). */
  params: Record<string, string>;
  /** HPA target per replica (AverageValue) or in total (Value); > 0. */
  targetValue: number;
  /** Active (scale from zero) when the value is strictly above this. Default 0. */
  activationValue: number;
}

/** Keys passed on to the metric provider (it parses them). */
const PARAM_KEYS = FORECAST_QUERY_KEYS;

/** Every key Prescale reads. */
const OWN_KEYS: readonly string[] = ['series', ...PARAM_KEYS, 'targetValue', 'activationValue'];

/**
 * Keys KEDA's external scaler reads itself and forwards with the rest of the trigger
 * metadata (keda-docs `scalers/external.md`, `external-push.md`; `caCert` and the client
 * certificate usually come from a TriggerAuthentication, which KEDA does not forward, but
 * they may be written in the metadata too).
 */
const KEDA_KEYS: readonly string[] = ['scalerAddress', 'enableTLS', 'unsafeSsl', 'caCert', 'tlsCertFile', 'tlsClientCert', 'tlsClientKey'];

/**
 * KEDA resolves a `<key>FromEnv` entry from the scale target's environment and forwards it
 * under the same key with the resolved value, so `seriesFromEnv` is `series`.
 */
const FROM_ENV = 'FromEnv';

/**
 * Reads `series`, `horizon`, `quantile`, `aggregate`, `targetValue`, `activationValue`
 * (each also as `<key>FromEnv`, resolved by KEDA). KEDA's own keys (`scalerAddress`, TLS
 * settings) are skipped; any other key is refused, so a typo (`horizn`) never silently
 * falls back to a default, as the external metrics API refuses it too.
 * @throws {PrescaleError} INVALID_INPUT naming `scalerMetadata.<key>`.
 */
export function parseScalerMetadata(raw: Readonly<Record<string, string>>, options: { requireTarget: boolean }): ScalerTrigger {
  const metadata = ownKeys(raw);
  const series = metadata['series'];
  if (!series) throw invalidInput('scalerMetadata.series', 'required: the name of the series to scale on');
  const params: Record<string, string> = {};
  for (const key of PARAM_KEYS) if (metadata[key] !== undefined && metadata[key] !== '') params[key] = metadata[key];
  const targetValue = number(metadata, 'targetValue');
  if (options.requireTarget && (targetValue === undefined || targetValue <= 0)) {
    throw invalidInput('scalerMetadata.targetValue', 'required and > 0 (an HPA target of 0 is rejected)');
  }
  const activationValue = number(metadata, 'activationValue') ?? 0;
  return { metricName: series, params, targetValue: targetValue ?? 0, activationValue };
}

/** Our keys with `FromEnv` folded in; throws on a key that is neither ours nor KEDA's. */
function ownKeys(raw: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (KEDA_KEYS.includes(key)) continue;
    const base = key.endsWith(FROM_ENV) ? key.slice(0, -FROM_ENV.length) : key;
    if (!OWN_KEYS.includes(base)) {
      throw invalidInput(`scalerMetadata.${key}`, `unknown key (use ${OWN_KEYS.join(', ')}; KEDA's own ${KEDA_KEYS.join(', ')} are skipped)`);
    }
    if (base !== key && raw[base] !== undefined) throw invalidInput(`scalerMetadata.${key}`, `give ${base} or ${key}, not both`);
    out[base] = value;
  }
  return out;
}

function number(metadata: Readonly<Record<string, string>>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw invalidInput(`scalerMetadata.${key}`, `"${raw}" is not a number`);
  return n;
}
