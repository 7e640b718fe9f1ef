/**
 * Replicas needed to serve `load` (in the series' unit, e.g. requests/s) when each replica
 * serves `capacityPerReplica` at its SLO, with a fractional `headroom` on top
 * (0.15 = 15 % spare). Never negative; a tiny epsilon keeps float noise (20 × 1.15 / 23)
 * from adding a replica.
 */
export function replicasForLoad(load: number, capacityPerReplica: number, headroom: number): number {
  if (!(load > 0) || !(capacityPerReplica > 0)) return 0;
  return Math.max(0, Math.ceil((load * (1 + headroom)) / capacityPerReplica - 1e-9));
}

/**
 * The load a queue adds: the backlog drained within `drainTimeSeconds`
 * (replicas = (arrivals + backlog / drainTime) / capacityPerReplica).
 */
export function drainLoad(backlog: number, drainTimeSeconds: number): number {
  if (!(backlog > 0) || !(drainTimeSeconds > 0)) return 0;
  return backlog / drainTimeSeconds;
}
