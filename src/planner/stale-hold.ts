/**
 * Safety rule 2 for plans: stale input never scales a pool down (docs/degradation.md, row 2).
 *
 * The rule, kept simple on purpose: while the forecast behind a pool is stale (or missing),
 * no step of its plan is below the replicas its previous plan had in force, nor below the
 * replicas running now (when the actuator reports them). The load term already asks for at
 * least what the last observation needs, since a stale forecast is floored at it. The hold
 * only ratchets up while stale (a stale plan that rose for a forecast peak stays there), and
 * it is gone from the first plan made on fresh input, when gradual scale-down applies again.
 * Quotas still bound it (safety rule 3). Pure.
 *
 * @returns the replicas no step may go below, or undefined when nothing holds (fresh input,
 * or a stale pool with neither a previous plan nor a current count).
 */
export function staleHoldReplicas(input: { stale: boolean; previousPlanned?: number | undefined; currentReplicas?: number | undefined }): number | undefined {
  if (!input.stale) return undefined;
  const known = [input.previousPlanned, input.currentReplicas].filter((n): n is number => n !== undefined && Number.isFinite(n));
  return known.length > 0 ? Math.max(...known) : undefined;
}
