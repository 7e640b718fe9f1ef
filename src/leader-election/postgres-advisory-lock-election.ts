import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Clock } from '../time/clock';
import type { LeaderElection } from './leader-election';

export interface PostgresAdvisoryLockElectionOptions {
  /** The database every replica shares (the postgres backend's URL). */
  url: string;
  /** Names the lock; candidates with the same name contend (hashed to the 64-bit advisory key). */
  name: string;
  /**
   * How long a leadership holds without a successful renewal (a `SELECT 1` on the lock's
   * connection). The database releases the lock itself the moment that connection drops.
   */
  leaseDurationSeconds: number;
  clock: Clock;
  /** Defaults to `<pid>-<uuid>`, unique per process. */
  identity?: string;
}

/**
 * Leadership through a session-level PostgreSQL advisory lock (`pg_try_advisory_lock`) held
 * on a connection of its own: the lock lives exactly as long as that session, so a leader
 * killed with `kill -9` loses it when the server sees the socket close (at once on a local
 * network; after TCP keepalive otherwise), and the next candidate's round takes it. No clock
 * is compared between replicas. A renewal that fails (the connection dropped) ends the
 * leadership at once and opens a new connection on the next round; a renewal that cannot
 * answer keeps `isLeader()` true only until the lease duration, so a partitioned leader
 * stops acting no later than the database would have let another take over.
 */
export class PostgresAdvisoryLockElection implements LeaderElection {
  readonly identity: string;
  private client: Client | null = null;
  private held = false;
  private renewedAtMs: number | null = null;
  private round: Promise<boolean> | null = null;

  constructor(private readonly o: PostgresAdvisoryLockElectionOptions) {
    this.identity = o.identity ?? `${process.pid}-${randomUUID()}`;
  }

  isLeader(): boolean {
    return this.held && this.renewedAtMs !== null && this.o.clock.now() < this.renewedAtMs + this.o.leaseDurationSeconds * 1000;
  }

  /** One round at a time: the scheduler and the actuator may share this election. */
  tryAcquireOrRenew(): Promise<boolean> {
    this.round ??= this.acquireOrRenew().finally(() => (this.round = null));
    return this.round;
  }

  async release(): Promise<void> {
    await this.round?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.held = false;
    this.renewedAtMs = null;
    // Closing the session releases every advisory lock it holds; no unlock call is needed.
    await client?.end().catch(() => undefined);
  }

  private async acquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    try {
      const client = await this.connection();
      if (this.held) {
        // The lock is the session's: a live session still holds it. pg_try_advisory_lock again would stack a second hold.
        await client.query('SELECT 1');
      } else {
        const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [`prescale:${this.o.name}`]);
        this.held = res.rows[0]?.locked === true;
        // Tell operators who leads: the session's application name shows in pg_stat_activity.
        if (this.held) await client.query(`SET application_name = ${quoteLiteral(`prescale leader ${this.identity}`.slice(0, 63))}`);
      }
      this.renewedAtMs = this.held ? now : null;
      return this.held;
    } catch (err) {
      this.dropConnection();
      throw err;
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.o.url, application_name: 'prescale leader candidate', connectionTimeoutMillis: 5000 });
    // Without a listener a dropped session would crash the process; losing it loses the lock.
    client.on('error', () => {
      if (this.client === client) this.dropConnection();
    });
    client.on('end', () => {
      if (this.client === client) this.dropConnection();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  /** The session is gone, and the database released the lock with it: we no longer lead. */
  private dropConnection(): void {
    const client = this.client;
    this.client = null;
    this.held = false;
    this.renewedAtMs = null;
    void client?.end().catch(() => undefined);
  }
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
