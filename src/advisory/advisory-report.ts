/** The simulator's measures of one way of running the pool over the window (docs/advisory.md). */
export interface AdvisoryMeasures {
  /** Minutes in which Ready replicas were fewer than the observed demand needs. */
  underProvisionedMinutes: number;
  /** Share of measured time under-provisioned (0–1). */
  underProvisionedShare: number;
  /** Share of the demand the Ready capacity could not serve (0–1). */
  unservedShare: number;
  replicaHours: number;
  gpuHours: number;
  /** In the currency of `pools[].costPerReplicaHour`. */
  cost: number;
  /** How often the replica count changed. */
  scalingActions: number;
}

/**
 * `GET /v1/pools/{pool}/advisory`: what following Prescale would have changed over the window,
 * measured on the recorded history (advisory samples), "as it ran" against "with Prescale".
 */
export interface AdvisoryReport {
  pool: string;
  /** ISO 8601 window. */
  from: string;
  to: string;
  /** Advisory samples in the window. */
  samples: number;
  /** Minutes the samples cover with an observed demand and actual replicas (what both columns are measured on). */
  measuredMinutes: number;
  asRan: AdvisoryMeasures;
  withPrescale: AdvisoryMeasures;
  /** withPrescale − asRan, per measure (negative = fewer, e.g. fewer under-provisioned minutes). */
  change: AdvisoryMeasures;
  /** How the columns were computed and what was left out, in plain sentences. */
  notes: string[];
}

/** Computes a pool's advisory report over [fromMs, toMs]. @throws {PrescaleError} POOL_NOT_FOUND. */
export type AdvisoryReporter = (pool: string, fromMs: number, toMs: number) => AdvisoryReport;
