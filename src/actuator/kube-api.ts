/**
 * The Kubernetes calls the actuator makes, as a port: a Lease for leader election, the
 * object each pool drives, Events, and the namespace GPU ResourceQuota. The implementation
 * (`ClientNodeKubeApi`) uses `@kubernetes/client-node`; tests run it against an in-test
 * HTTP server that follows the API's rules.
 */
export type TargetKind = 'Deployment' | 'HorizontalPodAutoscaler' | 'ScaledObject';

export interface TargetRef {
  kind: TargetKind;
  namespace: string;
  name: string;
}

/** The field the actuator owns on a target, as read. */
export interface TargetState {
  /** Deployment `spec.replicas`, HPA `spec.minReplicas`, ScaledObject `spec.minReplicaCount`. */
  value: number;
  /**
   * The replicas the target actually runs: Deployment `status.replicas`, HPA
   * `status.currentReplicas`; null when the object has no such status (a ScaledObject, or one
   * its controller has not reported yet). Advisory mode records it.
   */
  observedReplicas: number | null;
  /** HPA `spec.maxReplicas` / ScaledObject `spec.maxReplicaCount` (the value must not exceed it); null for a Deployment. */
  max: number | null;
  resourceVersion: string;
  uid: string | null;
  apiVersion: string;
}

/** A `coordination.k8s.io/v1` Lease, as the elector needs it. Times are epoch ms. */
export interface LeaseRecord {
  holderIdentity: string | null;
  leaseDurationSeconds: number;
  acquireTimeMs: number | null;
  renewTimeMs: number | null;
  leaseTransitions: number;
  /** Set on reads; required on replace (optimistic concurrency). */
  resourceVersion?: string;
}

/** A `core/v1` Event on the target. */
export interface ActuatorEvent {
  target: TargetRef & { uid: string | null; apiVersion: string };
  reason: string;
  message: string;
  /** The instance that acted (pod name). */
  reportingInstance: string;
  timeMs: number;
  /** The decision record's id; written as the `prescale.dev/decision` annotation (and in the message). */
  decisionId?: string;
}

/** `requests.nvidia.com/gpu` of the namespace ResourceQuotas (the tightest one). */
export interface GpuQuota {
  hard: number;
  used: number;
}

export interface KubeApi {
  /** null when the Lease does not exist (404). */
  readLease(namespace: string, name: string): Promise<LeaseRecord | null>;
  /** @throws {KubeApiError} 409 AlreadyExists when another instance created it first. */
  createLease(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord>;
  /** @throws {KubeApiError} 409 Conflict when `lease.resourceVersion` is stale. */
  replaceLease(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord>;
  /** @throws {KubeApiError} 404 when the object does not exist. */
  readTarget(ref: TargetRef): Promise<TargetState>;
  /** Merge-patches the owned field, guarded by `resourceVersion`. @throws {KubeApiError} 409 Conflict when it is stale. */
  writeTarget(ref: TargetRef, value: number, resourceVersion: string): Promise<TargetState>;
  createEvent(event: ActuatorEvent): Promise<void>;
  /** null when no ResourceQuota in the namespace limits `requests.nvidia.com/gpu`. */
  gpuQuota(namespace: string): Promise<GpuQuota | null>;
}

/** A failed API call: the HTTP status (0 for a network failure) and the Status reason. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** Worth retrying with backoff: network failures, 429 and 5xx. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}
