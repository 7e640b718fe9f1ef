import type { GateScore } from '../model-catalog/model-catalog';

export interface GateDecision {
  decision: 'promoted' | 'rejected';
  reason: string;
}

/**
 * The promotion gate: a candidate serves only if its held-out MASE beats the version that
 * serves now by `margin` (a fraction: 0.02 = 2% lower), on the same held-out window. With no
 * version serving yet, it must beat the seasonal-naive baseline by the same margin, so a
 * broken first model never serves.
 */
export function decidePromotion(input: {
  candidate: GateScore;
  current: GateScore | null;
  currentVersion: string | null;
  baseline: GateScore;
  margin: number;
  /**
   * The candidate is a seasonal-naive model, the baseline itself (under `forecast.model: auto`,
   * when it won the held-out choice): with nothing serving it cannot beat itself by a margin,
   * and rejecting it left the refresh's seasonal fit, the kind it had just beaten, serving.
   */
  candidateIsBaseline?: boolean;
}): GateDecision {
  const { candidate, current, currentVersion, baseline, margin } = input;
  if (!Number.isFinite(candidate.mase)) return { decision: 'rejected', reason: 'the candidate has no held-out score' };
  const serving = current !== null && Number.isFinite(current.mase);
  if (input.candidateIsBaseline && !serving) {
    return { decision: 'promoted', reason: `held-out MASE ${candidate.mase.toFixed(4)}: the candidate is the seasonal-naive baseline, chosen over the other kinds, and no version serves yet` };
  }
  const reference = serving ? { name: `current version ${currentVersion}`, mase: current.mase } : { name: 'seasonal-naive baseline', mase: baseline.mase };
  if (!Number.isFinite(reference.mase)) return { decision: 'promoted', reason: `no finite score for the ${reference.name}` };
  const needed = reference.mase * (1 - margin);
  const line = `held-out MASE ${candidate.mase.toFixed(4)} vs ${reference.name} ${reference.mase.toFixed(4)} (needs ≤ ${needed.toFixed(4)})`;
  return candidate.mase <= needed ? { decision: 'promoted', reason: line } : { decision: 'rejected', reason: line };
}
