import type { Clock } from '../time/clock';
import { type KubeApi, KubeApiError, type LeaseRecord } from './kube-api';

export interface LeaseElectorOptions {
  api: KubeApi;
  namespace: string;
  name: string;
  /** This instance (the pod name). */
  identity: string;
  leaseDurationSeconds: number;
  clock: Clock;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, after client-go's
 * `tools/leaderelection` (`tryAcquireOrRenew`): create the Lease if it is missing; renew it
 * while we hold it; take it over only when its holder has not renewed for
 * `leaseDurationSeconds`, measured on our own clock from when we last saw it change (so
 * clock skew between instances does not matter). Every write carries the resourceVersion
 * read, so two instances racing for the same Lease get one 200 and one 409.
 */
export class LeaseElector {
  private observed: LeaseRecord | null = null;
  private observedAtMs = 0;
  private renewedAtMs: number | null = null;

  constructor(private readonly o: LeaseElectorOptions) {}

  get identity(): string {
    return this.o.identity;
  }

  /** True while our last renewal is younger than the lease duration. */
  isLeader(): boolean {
    return this.renewedAtMs !== null && this.o.clock.now() < this.renewedAtMs + this.o.leaseDurationSeconds * 1000;
  }

  /** One election round: returns whether we lead after it. Network errors leave the state as is (and expire it in time). */
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

  /** Gives the Lease up (holder cleared, duration 1s) so another instance takes over at once. */
  async release(): Promise<void> {
    if (!this.isLeader()) return;
    const { api, namespace, name } = this.o;
    const current = await api.readLease(namespace, name);
    this.renewedAtMs = null;
    if (current === null || current.holderIdentity !== this.o.identity) return;
    try {
      await api.replaceLease(namespace, name, { ...current, holderIdentity: null, leaseDurationSeconds: 1, renewTimeMs: this.o.clock.now() });
    } catch (err) {
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
