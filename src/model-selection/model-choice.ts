import type { GateScore } from '../model-catalog/model-catalog';

/**
 * `forecast.model: auto`: which model kind serves a series, decided at each training from
 * the candidates' scores on the same held-out origins. Pure: the trainer scores, this decides.
 */

/**
 * History below which only the models it supports are candidates: two weeks (the weekly cycle
 * seen twice), counted over the whole history the series holds (`series[].history`, 14 days
 * by default), held-out stretch included.
 */
export const FULL_CANDIDATE_DAYS = 14;

/** Simplest first: on equal held-out MASE the simpler kind serves (cheaper, fewer ways to fail). */
const SIMPLICITY: readonly string[] = ['seasonal-naive', 'seasonal', 'mstl', 'lstm', 'ensemble'];

/** One candidate's held-out result: its score, or why it has none. */
export interface CandidateResult {
  kind: string;
  score: GateScore | null;
  /** Why it was not scored (too little history, a failed fit); absent when scored. */
  skipped?: string;
}

/** The decision, recorded with the version (manifest `choice`) and shown per series. */
export interface ModelChoice {
  chosen: string;
  reason: string;
  candidates: CandidateResult[];
  /** ISO instant of the decision. */
  decidedAt: string;
}

/**
 * Candidate kinds for a history of `days` days: seasonal-naive and seasonal always; with two
 * weeks or more, MSTL and the trained kind (`training.model`) as well, which need the weekly
 * cycle to earn their cost.
 */
export function candidateKinds(days: number, trainedKind: string): string[] {
  const kinds = ['seasonal-naive', 'seasonal'];
  if (days >= FULL_CANDIDATE_DAYS) kinds.push('mstl', trainedKind);
  return [...new Set(kinds)];
}

/**
 * The candidate with the lowest held-out MASE; on a tie (within `tieFraction`), the simpler.
 * @throws {RangeError} when no candidate has a finite score (the caller keeps what serves).
 */
export function chooseServedKind(candidates: readonly CandidateResult[], decidedAt: string, tieFraction = 0.005): ModelChoice {
  const scored = candidates.filter((c): c is CandidateResult & { score: GateScore } => c.score !== null && Number.isFinite(c.score.mase));
  if (scored.length === 0) throw new RangeError('no candidate model has a held-out score');
  const rank = (kind: string): number => {
    const i = SIMPLICITY.indexOf(kind);
    return i < 0 ? SIMPLICITY.length : i;
  };
  const bestMase = Math.min(...scored.map((c) => c.score.mase));
  const near = scored.filter((c) => c.score.mase <= bestMase * (1 + tieFraction)).sort((a, b) => rank(a.kind) - rank(b.kind));
  const chosen = near[0]!;
  const list = scored
    .slice()
    .sort((a, b) => a.score.mase - b.score.mase)
    .map((c) => `${c.kind} ${c.score.mase.toFixed(4)}`)
    .join(', ');
  const tie = chosen.score.mase > bestMase ? ' (within the tie margin of the best, and simpler)' : '';
  return { chosen: chosen.kind, reason: `lowest held-out MASE${tie}: ${list}`, candidates: candidates.map((c) => ({ ...c })), decidedAt };
}
