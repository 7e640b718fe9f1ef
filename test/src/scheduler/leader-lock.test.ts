import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLeaderLock } from '../../../src/scheduler/leader-lock';
import { ManualClock } from '../../helpers/manual-clock';

describe('FileLeaderLock', () => {
  let dir: string;
  let file: string;
  const clock = new ManualClock(1_000_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-lock-'));
    file = join(dir, 'shared', 'training.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of two replicas lead, and the leader keeps renewing', () => {
    const a = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'a' });
    const b = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'b' });
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(50_000);
    expect(a.tryAcquire()).toBe(true); // renewal
    clock.advance(50_000);
    expect(b.tryAcquire()).toBe(false); // renewed 50 s ago: still valid
  });

  it('hands leadership over when the leader stops renewing for the TTL', () => {
    const a = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'a' });
    const b = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'b' });
    expect(a.tryAcquire()).toBe(true);
    clock.advance(61_000);
    expect(b.tryAcquire()).toBe(true);
    expect(a.tryAcquire()).toBe(false);
  });

  it('frees the lock at once on release', () => {
    const a = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'a' });
    const b = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'b' });
    a.tryAcquire();
    b.release(); // not the holder: no effect
    expect(b.tryAcquire()).toBe(false);
    a.release();
    expect(b.tryAcquire()).toBe(true);
  });

  it('treats a garbled lock file as expired', () => {
    const a = new FileLeaderLock(file, { ttlMs: 60_000, clock, owner: 'a' });
    writeFileSync(file, 'not json');
    expect(a.tryAcquire()).toBe(true);
  });
});
