/**
 * Gradual scale-down, as one pure step function (the shape of the HPA's
 * `stabilizeRecommendationWithBehaviors` + scale-down rate limit, see
 * kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go): scale-up passes
 * through; scale-down goes no lower than the highest recommendation within the
 * stabilization window, and no more than `maxStepDown` below the last value per step.
 *
 * The replay simulator (issue 7) drives this step by step, so keep the signature stable.
 */
export interface StabilizerConfig {
  /** How far back recommendations hold the value up, in seconds (0 = no window). */
  stabilizationWindowSeconds: number;
  /** Largest decrease per step, in replicas (≥ 1; Infinity = unlimited). */
  maxStepDown: number;
}

export interface StabilizerState {
  /** The value the last step settled on; null before the first step. */
  readonly lastReplicas: number | null;
  /** Recommendations (desired values before stabilization) within the window, oldest first. */
  readonly recent: readonly { readonly t: number; readonly desired: number }[];
}

export interface StabilizedStep {
  replicas: number;
  state: StabilizerState;
  /** What held the value above `desired`: the window, the step-down limit, or nothing. */
  heldBy: 'window' | 'maxStepDown' | null;
}

export const initialStabilizerState = (lastReplicas: number | null = null): StabilizerState => ({ lastReplicas, recent: [] });

/** One step at epoch ms `tMs` with the recommendation `desired`. Does not mutate `state`. */
export function stabilizeStep(state: StabilizerState, desired: number, tMs: number, config: StabilizerConfig): StabilizedStep {
  const windowMs = config.stabilizationWindowSeconds * 1000;
  const recent = state.recent.filter((r) => r.t > tMs - windowMs && r.t <= tMs);
  recent.push({ t: tMs, desired });
  const next = (replicas: number, heldBy: StabilizedStep['heldBy']): StabilizedStep => ({ replicas, state: { lastReplicas: replicas, recent }, heldBy });
  const last = state.lastReplicas;
  if (last === null || desired >= last) return next(desired, null);
  let windowMax = desired;
  for (const r of recent) if (r.desired > windowMax) windowMax = r.desired;
  const held = Math.min(last, windowMax);
  const floorByStep = Number.isFinite(config.maxStepDown) ? last - Math.max(1, config.maxStepDown) : -Infinity;
  if (held >= floorByStep) return next(held, held > desired ? 'window' : null);
  return next(Math.max(desired, floorByStep), floorByStep > desired ? 'maxStepDown' : null);
}
