/**
 * The pods of one simulated Deployment. A pod counts toward Ready capacity only once its cold
 * start (`leadTimeSeconds`) has passed; until then it costs money but serves nothing. On
 * scale-down the newest pods go first, as the ReplicaSet controller deletes not-ready and
 * most recently Ready pods before older ones.
 */
export class PodSet {
  /** Creation times (epoch ms), oldest first; pre-warmed pods carry -Infinity. */
  private readonly createdMs: number[] = [];

  constructor(
    private readonly leadTimeMs: number,
    initialReady: number,
  ) {
    for (let i = 0; i < initialReady; i++) this.createdMs.push(Number.NEGATIVE_INFINITY);
  }

  /** Pods that exist (Ready or starting): what the HPA sees as `status.replicas` and what is billed. */
  get total(): number {
    return this.createdMs.length;
  }

  /** Creates or deletes pods so that `replicas` exist at `nowMs`. */
  scaleTo(replicas: number, nowMs: number): void {
    while (this.createdMs.length < replicas) this.createdMs.push(nowMs);
    if (this.createdMs.length > replicas) this.createdMs.length = replicas;
  }

  /** Pods whose cold start has finished at `nowMs`. */
  readyAt(nowMs: number): number {
    // createdMs is sorted, so binary-search the first pod still starting.
    const cutoff = nowMs - this.leadTimeMs;
    let lo = 0;
    let hi = this.createdMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.createdMs[mid] as number) <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
