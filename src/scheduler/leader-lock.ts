import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../time/clock';

interface LockContent {
  owner: string;
  renewedAtMs: number;
}

/**
 * Leadership through one file on a volume the replicas share: the holder renews it; a lock
 * not renewed for `ttlMs` is taken over (its holder died). Creation uses O_EXCL and
 * renewal/takeover an atomic rename, and a takeover re-reads the file to confirm it won.
 * Good enough for "one replica trains"; the actuator will use a Kubernetes Lease.
 */
export class FileLeaderLock {
  readonly owner: string;

  constructor(
    private readonly file: string,
    private readonly options: { ttlMs: number; clock: Clock; owner?: string },
  ) {
    this.owner = options.owner ?? `${process.pid}-${randomUUID()}`;
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Acquires or renews leadership; true while this process is the leader. */
  tryAcquire(): boolean {
    const now = this.options.clock.now();
    const current = this.read();
    if (current === null) {
      // link() fails if the file exists, so creation is atomic and the file is never empty.
      const tmp = this.writeTemp(now);
      try {
        linkSync(tmp, this.file);
      } catch {
        // Someone else created it first.
      } finally {
        rmSync(tmp, { force: true });
      }
      return this.read()?.owner === this.owner;
    }
    if (current.owner === this.owner || now - current.renewedAtMs > this.options.ttlMs) {
      this.write(now);
      return this.read()?.owner === this.owner;
    }
    return false;
  }

  /** Gives leadership up (on shutdown) so another replica need not wait for the TTL. */
  release(): void {
    if (this.read()?.owner === this.owner) rmSync(this.file, { force: true });
  }

  private read(): LockContent | null {
    const expired = { owner: '', renewedAtMs: Number.NEGATIVE_INFINITY };
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<LockContent>;
      return typeof parsed.owner === 'string' && typeof parsed.renewedAtMs === 'number' ? { owner: parsed.owner, renewedAtMs: parsed.renewedAtMs } : expired;
    } catch (err) {
      // Missing: free. Unreadable garbage (written by hand?): treat as expired.
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : expired;
    }
  }

  private write(nowMs: number): void {
    renameSync(this.writeTemp(nowMs), this.file);
  }

  private writeTemp(nowMs: number): string {
    const tmp = `${this.file}.${this.owner}.tmp`;
    writeFileSync(tmp, JSON.stringify({ owner: this.owner, renewedAtMs: nowMs } satisfies LockContent));
    return tmp;
  }
}
