/**
 * Leadership among replicas of Prescale: at most one candidate leads at a time, and a
 * leader that dies is replaced once its lease expires. The caller drives the rounds
 * (`tryAcquireOrRenew` about every third of the lease duration, as client-go's
 * `tools/leaderelection` does) and checks `isLeader()` before doing leader-only work.
 *
 * Adapters: `KubernetesLeaseElection` (a `coordination.k8s.io/v1` Lease; the actuator's,
 * and any replica set in a cluster) and `FileLeaderElection` (a lock file on a volume the
 * replicas share; the default of scheduled training, `training.lockFile`).
 */
export interface LeaderElection {
  /** This candidate, as written into the lock (the pod name in a cluster). */
  readonly identity: string;
  /**
   * One election round: takes the lease when it is free or its holder has not renewed for
   * the lease duration, renews it when we hold it, and otherwise leaves it alone.
   * @returns whether this candidate leads after the round.
   * @throws when the lock cannot be read or written (network, I/O); the state is then left
   *   as it was, so a leader that cannot renew stops leading when its lease runs out.
   */
  tryAcquireOrRenew(): Promise<boolean>;
  /** True while this candidate's last successful acquire/renew is younger than the lease duration. No I/O. */
  isLeader(): boolean;
  /**
   * Gives the lease up, so another candidate takes over at once instead of after the lease
   * duration (call on shutdown). A no-op when this candidate does not lead.
   */
  release(): Promise<void>;
}
