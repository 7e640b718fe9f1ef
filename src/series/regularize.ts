import type { RegularSeries } from '../../models/core/forecaster';
import type { Sample, SeriesKind } from './sample';

/** Start (epoch ms) of the step that contains `tMs`; steps are aligned to the Unix epoch. */
export function alignToStep(tMs: number, stepSeconds: number): number {
  const stepMs = stepSeconds * 1000;
  return Math.floor(tMs / stepMs) * stepMs;
}

/**
 * Folds samples onto a regular grid from the step of the first sample to the step of the
 * last (or `untilMs`, if later). Steps without a sample are NaN. Samples need not be sorted.
 */
export function regularize(
  samples: readonly Sample[],
  options: { stepSeconds: number; kind: SeriesKind; timezone: string; untilMs?: number },
): RegularSeries {
  const { stepSeconds, kind, timezone } = options;
  const stepMs = stepSeconds * 1000;
  if (samples.length === 0) return { startMs: alignToStep(options.untilMs ?? 0, stepSeconds), stepSeconds, values: [], timezone };
  let minT = Infinity;
  let maxT = -Infinity;
  for (const s of samples) {
    if (s.t < minT) minT = s.t;
    if (s.t > maxT) maxT = s.t;
  }
  const startMs = alignToStep(minT, stepSeconds);
  const endMs = alignToStep(Math.max(maxT, options.untilMs ?? maxT), stepSeconds);
  const count = Math.round((endMs - startMs) / stepMs) + 1;
  const sum = new Float64Array(count);
  const n = new Uint32Array(count);
  const lastT = new Float64Array(count).fill(-Infinity);
  for (const s of samples) {
    const i = Math.floor((s.t - startMs) / stepMs);
    if (kind === 'rate') {
      sum[i] = (sum[i] as number) + s.v;
      n[i] = (n[i] as number) + 1;
    } else if (s.t >= (lastT[i] as number)) {
      lastT[i] = s.t;
      sum[i] = s.v;
      n[i] = 1;
    }
  }
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = (n[i] as number) > 0 ? (sum[i] as number) / (n[i] as number) : Number.NaN;
  return { startMs, stepSeconds, values, timezone };
}
