import type { ModelArtifact } from '../../models/core/forecaster';

/** Test fixtures of the model registry: a manifest (less what `save` fills in) and a small artifact. */
const score = (mase: number) => ({ mase, coverage: { '0.5': 0.5, '0.9': 0.9 } });

export function manifest(series: string, decision: 'promoted' | 'rejected', mase = 0.5) {
  return {
    series,
    hyperParameters: { model: 'seasonal-naive' },
    stepSeconds: 60,
    timezone: 'UTC',
    horizonSteps: 10,
    trainedFrom: '2026-01-01T00:00:00.000Z',
    trainedTo: '2026-01-10T00:00:00.000Z',
    conditionedTo: '2026-01-11T00:00:00.000Z',
    gate: { candidate: score(mase), current: null, currentVersion: null, baseline: score(1), margin: 0.02, heldOutFrom: 'a', heldOutTo: 'b' },
    decision,
    reason: 'test',
    calibration: null,
    backend: null,
    createdAt: '2026-01-11T00:00:00.000Z',
    codeVersion: '0.1.0',
  };
}

export const artifact = (n: number): ModelArtifact => ({ kind: 'seasonal-naive', formatVersion: 1, state: { n }, weights: new Uint8Array(new Float32Array([n, n + 1]).buffer) });
