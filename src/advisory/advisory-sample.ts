/**
 * One advisory observation of a pool, recorded every actuator round: what Prescale would have
 * set, what the target actually had, and the demand then observed.
 */
export interface AdvisorySample {
  pool: string;
  /** Epoch ms of the round. */
  t: number;
  /** The replicas Prescale's plan asks for now (bounded by the target's own max). */
  planned: number;
  /**
   * The replicas the scale target actually ran, read from the Kubernetes API: a Deployment's
   * `status.replicas`, an HPA's `status.currentReplicas`; null when the API has none (a KEDA
   * ScaledObject has no replica status of its own).
   */
  actual: number | null;
  /**
   * The replicas the workload would have run following Prescale: `planned` for a Deployment
   * (Prescale sets its replicas), max(planned, actual) for an HPA or ScaledObject (Prescale
   * raises the floor; the reactive autoscaler may still go higher).
   */
  withPrescale: number;
  /** The latest observed demand of the pool's series (its unit, e.g. requests/s); null when none. */
  demand: number | null;
}
