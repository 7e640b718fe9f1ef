import { invalidInput } from '../../src/errors/prescale-error';

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

/** Keys passed on to the metric provider; everything else KEDA sends (`scalerAddress`, …) is not ours. */
const PARAM_KEYS = ['horizon', 'quantile', 'aggregate'] as const;

/**
 * Reads `series`, `horizon`, `quantile`, `aggregate`, `targetValue`, `activationValue`.
 * Unknown keys are ignored: KEDA forwards the whole trigger metadata, `scalerAddress` included.
 * @throws {PrescaleError} INVALID_INPUT naming `scalerMetadata.<key>`.
 */
export function parseScalerMetadata(metadata: Readonly<Record<string, string>>, options: { requireTarget: boolean }): ScalerTrigger {
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

function number(metadata: Readonly<Record<string, string>>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw invalidInput(`scalerMetadata.${key}`, `"${raw}" is not a number`);
  return n;
}
