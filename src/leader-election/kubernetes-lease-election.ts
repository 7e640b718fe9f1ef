import type { KubeApi, LeaseRecord } from '../actuator/kube-api';
import { KubeApiError } from '../actuator/kube-api';
import type { Clock } from '../time/clock';
import type { LeaderElection } from './leader-election';

/** The Lease calls of the Kubernetes API port; nothing else is needed for an election. */
export type LeaseApi = Pick<KubeApi, 'readLease' | 'createLease' | 'replaceLease'>;

export interface KubernetesLeaseElectionOptions {
  api: LeaseApi;
  namespace: string;
  /** The Lease's `metadata.name`. */
  name: string;
  /** This candidate (the pod name); written as `spec.holderIdentity`. */
  identity: string;
  /** Written as `spec.leaseDurationSeconds`; a holder not renewing for this long is replaced. */
  leaseDurationSeconds: number;
  clock: Clock;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, after client-go's
 * `tools/leaderelection` (`tryAcquireOrRenew`): create the Lease if it is missing; renew it
 * (`spec.renewTime`) while we hold it; take it over only when its holder has not renewed for
 * `leaseDurationSeconds`, measured on our own clock from when we last saw it change (so
 * clock skew between instances does not matter). Every write carries the resourceVersion
 * read, so two candidates racing for the same Lease get one 200 and one 409.
 */
export class KubernetesLeaseElection implements LeaderElection {
  private observed: LeaseRecord | null = null;
  private observedAtMs = 0;
  private renewedAtMs: number | null = null;

  constructor(private readonly o: KubernetesLeaseElectionOptions) {}

  get identity(): string {
    return this.o.identity;
  }

  isLeader(): boolean {
    return this.renewedAtMs !== null && this.o.clock.now() < this.renewedAtMs + this.o.leaseDurationSeconds * 1000;
  }

  async tryAcquireOrRenew(): Promise<boolean> {
    const { api, namespace, name, identity } = this.o;
    const now = this.o.clock.now();
    const current = await api.readLease(namespace, name);
    if (current === null) {
      return this.write(() =>
        api.createLease(namespace, name, { holderIdentity: identity, leaseDurationSeconds: this.o.leaseDurationSeconds, acquireTimeMs: now, renewTimeMs: now, leaseTransitions: 0 }),
      );
    }
    if (this.observed === null || this.observed.renewTimeMs !== current.renewTimeMs || this.observed.holderIdentity !== current.holderIdentity) {
      this.observed = current;
      this.observedAtMs = now;
    }
    const holder = current.holderIdentity ?? '';
    const ours = holder === identity;
    if (holder !== '' && !ours && now < this.observedAtMs + current.leaseDurationSeconds * 1000) {
      this.renewedAtMs = null;
      return false;
    }
    return this.write(() =>
      api.replaceLease(namespace, name, {
        holderIdentity: identity,
        leaseDurationSeconds: this.o.leaseDurationSeconds,
        acquireTimeMs: ours ? current.acquireTimeMs : now,
        renewTimeMs: now,
        leaseTransitions: ours ? current.leaseTransitions : current.leaseTransitions + 1,
        ...(current.resourceVersion !== undefined ? { resourceVersion: current.resourceVersion } : {}),
      }),
    );
  }

  /** Clears the holder and sets the duration to 1 s (the API requires > 0), as client-go's `ReleaseOnCancel` does. */
  async release(): Promise<void> {
    if (!this.isLeader()) return;
    const { api, namespace, name } = this.o;
    const current = await api.readLease(namespace, name);
    this.renewedAtMs = null;
    if (current === null || current.holderIdentity !== this.o.identity) return;
    try {
      await api.replaceLease(namespace, name, { ...current, holderIdentity: null, leaseDurationSeconds: 1, renewTimeMs: this.o.clock.now() });
    } catch (err) {
      // A 409 means someone wrote it since our read: it is not ours to clear any more.
      if (!(err instanceof KubeApiError && err.status === 409)) throw err;
    }
  }

  private async write(fn: () => Promise<LeaseRecord>): Promise<boolean> {
    const now = this.o.clock.now();
    try {
      const lease = await fn();
      this.observed = lease;
      this.observedAtMs = now;
      this.renewedAtMs = now;
      return true;
    } catch (err) {
      // Someone else created or renewed it between our read and our write.
      if (err instanceof KubeApiError && err.status === 409) {
        this.renewedAtMs = null;
        return false;
      }
      throw err;
    }
  }
}
