import type { PlanHorizon } from './plan-types';

/** Epoch ms of each plan step: from the step boundary at or before `nowMs` to `nowMs + horizonSeconds`. */
export function planGrid(nowMs: number, horizon: PlanHorizon): number[] {
  const stepMs = horizon.stepSeconds * 1000;
  const start = Math.floor(nowMs / stepMs) * stepMs;
  const end = nowMs + horizon.horizonSeconds * 1000;
  const grid: number[] = [];
  for (let t = start; t <= end; t += stepMs) grid.push(t);
  return grid;
}
