import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import { Registry } from 'prom-client';
import { ClientNodeKubeApi } from '../../../src/actuator/client-node-kube-api';
import { KubernetesLeaseElection } from '../../../src/leader-election/kubernetes-lease-election';
import type { LeaderElection } from '../../../src/leader-election/leader-election';
import { RetrainScheduler, type RetrainSchedulerOptions } from '../../../src/scheduler/retrain-scheduler';
import { createLogger } from '../../../src/telemetry/logger';
import { createRetrainMetrics } from '../../../src/scheduler/retrain-metrics';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { writeKubeconfig } from '../../helpers/kubeconfig';
import { ManualClock } from '../../helpers/manual-clock';

function scheduler(overrides: Partial<RetrainSchedulerOptions>): { scheduler: RetrainScheduler; registry: Registry } {
  const registry = new Registry();
  const s: RetrainScheduler = new RetrainScheduler({
    series: () => ['a', 'b'],
    job: { run: async () => undefined },
    timezone: 'UTC',
    jitterMs: 0,
    leader: null,
    clock: new ManualClock(Date.parse('2026-01-01T00:00:00Z')),
    logger: createLogger({ level: 'silent' }),
    metrics: createRetrainMetrics(registry, () => ({ records: s.history.all(), leader: s.leader() })),
    ...overrides,
  });
  return { scheduler: s, registry };
}

describe('RetrainScheduler', () => {
  it('records start, success, duration and failures per series; a failing series does not stop the others', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { scheduler: s, registry } = scheduler({
      clock,
      job: {
        run: async (series) => {
          clock.advance(2000);
          if (series === 'a') throw new Error('too little history');
        },
      },
    });
    s.start();
    expect(await s.trigger('manual')).toBe('ran');
    const [a, b] = s.status().series;
    expect(a).toMatchObject({ series: 'a', lastResult: 'failure', lastError: 'too little history', failures: 1, runs: 1, lastSuccessMs: null, lastDurationSeconds: 2 });
    expect(b).toMatchObject({ series: 'b', lastResult: 'success', failures: 0, lastSuccessMs: Date.parse('2026-01-01T00:00:04Z'), lastDurationSeconds: 2 });
    const text = await registry.metrics();
    expect(text).toContain('prescale_training_last_success_timestamp_seconds{series="b"} 1767225604');
    expect(text).not.toContain('prescale_training_last_success_timestamp_seconds{series="a"}');
    expect(text).toContain('prescale_training_job_runs_total{series="a",result="failure"} 1');
    await s.stop();
  });

  it('skips a round while the previous one still runs (no overlap)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const { scheduler: s, registry } = scheduler({ series: () => ['a'], job: { run: async () => void (runs++, await gate) } });
    s.start();
    const first = s.trigger('schedule');
    expect(await s.trigger('schedule')).toBe('skipped-overlap');
    release();
    expect(await first).toBe('ran');
    expect(runs).toBe(1);
    expect(await registry.metrics()).toContain('prescale_training_skipped_total{reason="overlap"} 1');
    await s.stop();
  });

  it('runs only on the leader', async () => {
    let leading = false;
    const leader: LeaderElection = { identity: 'a', tryAcquireOrRenew: async () => leading, isLeader: () => leading, release: async () => undefined };
    let runs = 0;
    const { scheduler: s } = scheduler({ leader, job: { run: async () => void runs++ } });
    s.start();
    expect(await s.trigger('schedule')).toBe('skipped-not-leader');
    leading = true;
    expect(await s.trigger('schedule')).toBe('ran');
    expect(runs).toBe(2);
    expect(s.status().leader).toBe(true);
    await s.stop();
  });

  it('waits a random jitter before a scheduled round', async () => {
    const slept: number[] = [];
    const { scheduler: s } = scheduler({ jitterMs: 60_000, random: () => 0.25, sleep: async (ms) => void slept.push(ms) });
    await s.trigger('schedule', { jitter: true });
    await s.trigger('manual');
    expect(slept).toEqual([15_000]);
  });

  it('reads the cron expression in the configured timezone', () => {
    // 03:00 in Berlin is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST).
    const cron = new Cron('0 3 * * *', { timezone: 'Europe/Berlin', paused: true });
    expect(cron.nextRun(new Date('2026-01-10T12:00:00Z'))?.toISOString()).toBe('2026-01-11T02:00:00.000Z');
    expect(cron.nextRun(new Date('2026-07-10T12:00:00Z'))?.toISOString()).toBe('2026-07-11T01:00:00.000Z');
    const { scheduler: s } = scheduler({ schedule: '0 */6 * * *', timezone: 'Europe/Berlin' });
    s.start();
    expect(s.status()).toMatchObject({ schedule: '0 */6 * * *', timezone: 'Europe/Berlin' });
    expect(s.nextRunMs()).not.toBeNull();
    void s.stop();
  });

  it('fires on its schedule', async () => {
    const runs: string[] = [];
    const { scheduler: s } = scheduler({ schedule: '* * * * * *', series: () => ['a'], job: { run: async (x) => void runs.push(x) } });
    s.start();
    const deadline = Date.now() + 8000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(runs[0]).toBe('a');
    expect(s.status().lastRound).toMatchObject({ trigger: 'schedule', result: 'ran' });
  });

  it('replicas sharing a Kubernetes Lease (FakeKubeApiServer, which follows the API rules): only the holder trains, the other takes over after stop', async () => {
    const server = await new FakeKubeApiServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'prescale-retrain-lease-'));
    try {
      const api = await ClientNodeKubeApi.create({ kubeconfig: writeKubeconfig(server, dir) });
      const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
      const replica = (identity: string) =>
        scheduler({ clock, series: () => ['a'], leader: new KubernetesLeaseElection({ api, namespace: 'prod', name: 'prescale-training', identity, leaseDurationSeconds: 30, clock }) }).scheduler;
      const [a, b] = [replica('prescale-a'), replica('prescale-b')];
      expect(await a.trigger('schedule')).toBe('ran');
      expect(await b.trigger('schedule')).toBe('skipped-not-leader');
      await a.stop(); // releases the Lease
      expect(await b.trigger('schedule')).toBe('ran');
      await b.stop();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
