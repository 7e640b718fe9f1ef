import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../time/clock';
import type { LeaderElection } from './leader-election';

/** The adapters `selectLeaderElection` picks from, as `/v1/status` names them. */
export type LeaderAdapter = 'kubernetes-lease' | 'postgres-advisory-lock' | 'file';

/** What `/v1/status` reports under `leader`. */
export interface LeaderStatus {
  /** This replica's identity in the election (the pod name in a cluster). */
  identity: string;
  adapter: LeaderAdapter;
  leader: boolean;
  /** ISO instant this replica became leader, null while it does not lead. */
  since: string | null;
}

/**
 * One election shared by every leader-only component (scheduled retraining, the actuator),
 * which records when this replica started leading and exports `prescale_leader` (1 on the
 * leader, 0 elsewhere) with the adapter as a label. Transitions are observed on each round,
 * and `isLeader()` also notices a lease that ran out between rounds.
 */
export class ObservedLeaderElection implements LeaderElection {
  private sinceMs: number | null = null;

  constructor(
    private readonly inner: LeaderElection,
    readonly adapter: LeaderAdapter,
    private readonly clock: Clock,
  ) {}

  get identity(): string {
    return this.inner.identity;
  }

  async tryAcquireOrRenew(): Promise<boolean> {
    try {
      return this.observe(await this.inner.tryAcquireOrRenew());
    } catch (err) {
      this.observe(this.inner.isLeader());
      throw err;
    }
  }

  isLeader(): boolean {
    return this.observe(this.inner.isLeader());
  }

  async release(): Promise<void> {
    await this.inner.release();
    this.observe(false);
  }

  status(): LeaderStatus {
    const leader = this.isLeader();
    return { identity: this.identity, adapter: this.adapter, leader, since: leader && this.sinceMs !== null ? new Date(this.sinceMs).toISOString() : null };
  }

  /** Registers `prescale_leader{adapter}` on `registry`, read at every scrape. */
  registerGauge(registry: Registry): void {
    const leads = (): number => (this.isLeader() ? 1 : 0);
    const adapter = this.adapter;
    new Gauge({
      name: 'prescale_leader',
      help: '1 when this replica leads (runs scheduled retraining and the actuator), 0 otherwise; adapter names the election.',
      labelNames: ['adapter'],
      registers: [registry],
      collect() {
        this.reset();
        this.set({ adapter }, leads());
      },
    });
  }

  private observe(leads: boolean): boolean {
    if (leads && this.sinceMs === null) this.sinceMs = this.clock.now();
    if (!leads) this.sinceMs = null;
    return leads;
  }
}
