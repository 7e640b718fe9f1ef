import { type SimulatedPool, replicasNeeded } from './pool-config';

/**
 * What one policy achieved over the evaluation window. Shares are fractions of time (0–1);
 * θU/θO are the SPEC Research elasticity accuracy metrics (Herbst et al., "Ready for Rain?",
 * TOMPECS 2018), the mean relative shortfall/excess of Ready replicas against the replicas
 * the demand needs, as fractions (×100 for the paper's %); τU/τO are the matching timeshares.
 */
export interface PolicyMetrics {
  readonly underProvisionedShare: number;
  readonly unservedShare: number;
  readonly replicaHours: number;
  readonly gpuHours: number;
  readonly cost: number;
  readonly scalingActions: number;
  readonly thetaU: number;
  readonly thetaO: number;
  readonly tauU: number;
  readonly tauO: number;
  /**
   * Replica-hours up to what the forecast plan asked for (steady cover); `replicaHours` minus
   * this is what the reactive term added on top (burst cover). 0 for policies without a plan.
   */
  readonly planReplicaHours: number;
  /**
   * Demand above Ready capacity, integrated and in replicas: the replica-hours that were
   * missing. What `underProvisionCost` prices (an under-provisioned replica-hour), so a pool's
   * expected cost is `costPerReplicaHour · replicaHours + underProvisionCost · unservedReplicaHours`.
   */
  readonly unservedReplicaHours: number;
}

/** Integrates one policy's demand, Ready capacity and replicas over time. */
export class ElasticityAccumulator {
  private seconds = 0;
  private underSeconds = 0;
  private overSeconds = 0;
  private thetaUSum = 0;
  private thetaOSum = 0;
  private demandSum = 0;
  private unservedSum = 0;
  private replicaSeconds = 0;
  private actions = 0;
  private planReplicaSeconds = 0;

  constructor(private readonly pool: SimulatedPool) {}

  /**
   * Adds an interval of `seconds` with constant load and pods. Intervals with unknown load
   * still cost replica time but do not count toward the provisioning metrics.
   */
  add(load: number, readyReplicas: number, totalReplicas: number, seconds: number): void {
    this.replicaSeconds += totalReplicas * seconds;
    if (!Number.isFinite(load)) return;
    const demand = Math.max(0, load);
    const capacity = readyReplicas * this.pool.capacityPerReplica;
    const need = replicasNeeded(demand, this.pool);
    this.seconds += seconds;
    this.demandSum += demand * seconds;
    if (demand > capacity) this.unservedSum += (demand - capacity) * seconds;
    if (need > readyReplicas) {
      this.underSeconds += seconds;
      this.thetaUSum += ((need - readyReplicas) / Math.max(need, 1)) * seconds;
    } else if (need < readyReplicas) {
      this.overSeconds += seconds;
      this.thetaOSum += ((readyReplicas - need) / Math.max(need, 1)) * seconds;
    }
  }

  /** Replica time covered by the forecast plan over an interval (see `planReplicaHours`). */
  addPlanCover(replicas: number, seconds: number): void {
    this.planReplicaSeconds += replicas * seconds;
  }

  addScalingAction(): void {
    this.actions++;
  }

  finish(): PolicyMetrics {
    const t = this.seconds > 0 ? this.seconds : 1;
    const replicaHours = this.replicaSeconds / 3600;
    return {
      underProvisionedShare: this.underSeconds / t,
      unservedShare: this.demandSum > 0 ? this.unservedSum / this.demandSum : 0,
      replicaHours,
      gpuHours: replicaHours * this.pool.gpusPerReplica,
      cost: replicaHours * this.pool.costPerReplicaHour,
      scalingActions: this.actions,
      thetaU: this.thetaUSum / t,
      thetaO: this.thetaOSum / t,
      tauU: this.underSeconds / t,
      tauO: this.overSeconds / t,
      planReplicaHours: this.planReplicaSeconds / 3600,
      unservedReplicaHours: this.unservedSum / this.pool.capacityPerReplica / 3600,
    };
  }
}
