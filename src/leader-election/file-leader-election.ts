import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../time/clock';
import type { LeaderElection } from './leader-election';

interface LockContent {
  owner: string;
  renewedAtMs: number;
}

export interface FileLeaderElectionOptions {
  /** The lock file, on a volume every candidate mounts; its folder is created. */
  file: string;
  /** A lock not renewed for this long is taken over (its holder died). */
  leaseDurationSeconds: number;
  clock: Clock;
  /** Defaults to `<pid>-<uuid>`, unique per process. */
  identity?: string;
}

/**
 * Leadership through one file on a shared volume: the holder renews it; a lock not renewed
 * for the lease duration is taken over. Creation uses link() (atomic, fails if the file
 * exists, and the file is never seen empty) and renewal/takeover an atomic rename; every
 * write re-reads the file to confirm it won. Expiry compares the holder's written time with
 * our clock, so the candidates' clocks must roughly agree: good enough for "one replica
 * trains"; a Kubernetes Lease (`KubernetesLeaseElection`) does not need that.
 */
export class FileLeaderElection implements LeaderElection {
  readonly identity: string;
  private renewedAtMs: number | null = null;

  constructor(private readonly o: FileLeaderElectionOptions) {
    this.identity = o.identity ?? `${process.pid}-${randomUUID()}`;
    mkdirSync(dirname(o.file), { recursive: true });
  }

  isLeader(): boolean {
    return this.renewedAtMs !== null && this.o.clock.now() < this.renewedAtMs + this.o.leaseDurationSeconds * 1000;
  }

  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    const won = this.acquire(now);
    this.renewedAtMs = won ? now : null;
    return won;
  }

  async release(): Promise<void> {
    this.renewedAtMs = null;
    if (this.read()?.owner === this.identity) rmSync(this.o.file, { force: true });
  }

  private acquire(now: number): boolean {
    const current = this.read();
    if (current === null) {
      const tmp = this.writeTemp(now);
      try {
        linkSync(tmp, this.o.file);
      } catch {
        // Someone else created it first.
      } finally {
        rmSync(tmp, { force: true });
      }
      return this.read()?.owner === this.identity;
    }
    if (current.owner === this.identity || now - current.renewedAtMs > this.o.leaseDurationSeconds * 1000) {
      renameSync(this.writeTemp(now), this.o.file);
      return this.read()?.owner === this.identity;
    }
    return false;
  }

  private read(): LockContent | null {
    const expired = { owner: '', renewedAtMs: Number.NEGATIVE_INFINITY };
    try {
      const parsed = JSON.parse(readFileSync(this.o.file, 'utf8')) as Partial<LockContent>;
      return typeof parsed.owner === 'string' && typeof parsed.renewedAtMs === 'number' ? { owner: parsed.owner, renewedAtMs: parsed.renewedAtMs } : expired;
    } catch (err) {
      // Missing: free. Unreadable garbage (written by hand?): treat as expired.
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : expired;
    }
  }

  private writeTemp(nowMs: number): string {
    const tmp = `${this.o.file}.${this.identity}.tmp`;
    writeFileSync(tmp, JSON.stringify({ owner: this.identity, renewedAtMs: nowMs } satisfies LockContent));
    return tmp;
  }
}
