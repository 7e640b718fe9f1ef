/**
 * The `LeaderElection` contract, run against every adapter on the same cases. The Lease
 * adapter runs over real HTTP with the real `@kubernetes/client-node` client against
 * `FakeKubeApiServer`, an in-test Kubernetes API server (no kube-apiserver can run here)
 * that follows the real API's rules: create → 409 AlreadyExists, PUT needs the current
 * `metadata.resourceVersion` (409 Conflict otherwise), Lease times are MicroTime and
 * `leaseDurationSeconds` > 0. The advisory-lock adapter runs against a real PostgreSQL
 * (`RealPostgres`); its lock lives as long as the holder's session, so "the holder stops
 * renewing" is played there as the holder's session ending (what `kill -9` does), with
 * `pg_terminate_backend` from another connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientNodeKubeApi } from '../../../src/actuator/client-node-kube-api';
import { FileLeaderElection } from '../../../src/leader-election/file-leader-election';
import { KubernetesLeaseElection } from '../../../src/leader-election/kubernetes-lease-election';
import type { LeaderElection } from '../../../src/leader-election/leader-election';
import { PostgresAdvisoryLockElection } from '../../../src/leader-election/postgres-advisory-lock-election';
import { Client } from 'pg';
import { RealPostgres } from '../../helpers/real-postgres';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { writeKubeconfig } from '../../helpers/kubeconfig';
import { ManualClock } from '../../helpers/manual-clock';

const DURATION_S = 15;

/** Sets up one shared lock; `candidate` makes a contender for it with its own identity. */
interface Arena {
  candidate(identity: string): Promise<LeaderElection>;
  /** The holder stops renewing; where the lock is a session, that session ends (as when its process dies). */
  holderDies?(identity: string): Promise<void>;
  close(): Promise<void>;
}

// One PostgreSQL for the whole file: starting one per case would dominate the run.
const postgres = new RealPostgres();
let databases = 0;
afterAll(() => postgres.destroy());

const adapters: [string, (clock: ManualClock, dir: string) => Promise<Arena>][] = [
  [
    'FileLeaderElection',
    async (clock, dir) => ({
      candidate: async (identity) => new FileLeaderElection({ file: join(dir, 'shared', 'leader.lock'), leaseDurationSeconds: DURATION_S, clock, identity }),
      close: async () => undefined,
    }),
  ],
  [
    'KubernetesLeaseElection (against FakeKubeApiServer)',
    async (clock, dir) => {
      const server = await new FakeKubeApiServer().start();
      const kubeconfig = writeKubeconfig(server, dir);
      return {
        candidate: async (identity) =>
          new KubernetesLeaseElection({ api: await ClientNodeKubeApi.create({ kubeconfig }), namespace: 'prod', name: 'prescale-leader', identity, leaseDurationSeconds: DURATION_S, clock }),
        close: () => server.close(),
      };
    },
  ],
  [
    'PostgresAdvisoryLockElection (against a real PostgreSQL)',
    async (clock) => {
      if (databases === 0) await postgres.start();
      const url = await postgres.createDatabase(`election${++databases}`);
      const made: LeaderElection[] = [];
      return {
        candidate: async (identity) => {
          const election = new PostgresAdvisoryLockElection({ url, name: 'leader', leaseDurationSeconds: DURATION_S, clock, identity });
          made.push(election);
          return election;
        },
        holderDies: async (identity) => {
          const admin = new Client({ connectionString: url });
          await admin.connect();
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`prescale leader ${identity}`]);
          await admin.end();
        },
        close: async () => {
          for (const e of made) await e.release();
        },
      };
    },
  ],
];

describe.each(adapters)('LeaderElection contract: %s', (_name, arenaFor) => {
  let dir: string;
  let clock: ManualClock;
  let arena: Arena;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-election-'));
    clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
    arena = await arenaFor(clock, dir);
  });
  afterEach(async () => {
    await arena.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first candidate acquires the free lease and leads', async () => {
    const a = await arena.candidate('prescale-a');
    expect(a.isLeader()).toBe(false);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(a.isLeader()).toBe(true);
    expect(a.identity).toBe('prescale-a');
  });

  it('a second candidate cannot take a held lease while its holder renews, nor before it expires', async () => {
    const [a, b] = [await arena.candidate('prescale-a'), await arena.candidate('prescale-b')];
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.advance((DURATION_S / 2) * 1000);
    expect(await a.tryAcquireOrRenew()).toBe(true); // renewal
    clock.advance((DURATION_S / 2 + 1) * 1000); // past the first term, within the renewed one
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.advance(5_000); // still within the renewed term, however it is measured
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(b.isLeader()).toBe(false);
  });

  it('a second candidate takes the lease over once its holder has not renewed for the lease duration', async () => {
    const [a, b] = [await arena.candidate('prescale-a'), await arena.candidate('prescale-b')];
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).toBe(false);
    await arena.holderDies?.('prescale-a');
    clock.advance((DURATION_S + 1) * 1000);
    expect(a.isLeader()).toBe(false); // its own term ran out, before anyone took over
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
  });

  it('on release the other candidate takes over at once; a release by a non-holder changes nothing', async () => {
    const [a, b] = [await arena.candidate('prescale-a'), await arena.candidate('prescale-b')];
    await a.tryAcquireOrRenew();
    await b.release();
    expect(await b.tryAcquireOrRenew()).toBe(false);
    await a.release();
    expect(a.isLeader()).toBe(false);
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });
});
