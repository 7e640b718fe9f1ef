import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLeaderElection } from '../../../src/leader-election/file-leader-election';
import { ManualClock } from '../../helpers/manual-clock';

// The behaviour every election shares is in leader-election.contract.test.ts; these are the file's own.
describe('FileLeaderElection', () => {
  let dir: string;
  let file: string;
  const clock = new ManualClock(1_000_000);
  const candidate = (identity: string) => new FileLeaderElection({ file, leaseDurationSeconds: 60, clock, identity });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-lock-'));
    file = join(dir, 'shared', 'training.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the lock folder and writes the holder and its renewal time into the file', async () => {
    expect(await candidate('a').tryAcquireOrRenew()).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ owner: 'a', renewedAtMs: 1_000_000 });
  });

  it('treats a garbled lock file as expired', async () => {
    const a = candidate('a');
    writeFileSync(file, 'not json');
    expect(await a.tryAcquireOrRenew()).toBe(true);
  });

  it('removes the file on release, and only its holder does', async () => {
    const a = candidate('a');
    await a.tryAcquireOrRenew();
    await candidate('b').release();
    expect(existsSync(file)).toBe(true);
    await a.release();
    expect(existsSync(file)).toBe(false);
  });

  it('gives each process its own identity by default', () => {
    const [a, b] = [new FileLeaderElection({ file, leaseDurationSeconds: 60, clock }), new FileLeaderElection({ file, leaseDurationSeconds: 60, clock })];
    expect(a.identity).toMatch(new RegExp(`^${process.pid}-`));
    expect(a.identity).not.toBe(b.identity);
  });
});
