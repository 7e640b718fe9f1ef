import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../../helpers/test-server';

/** `prescale plan` as users run it (needs the build in dist/). No history is stored, so plans come from schedules, events and minReplicas. */
const dir = tempDir('plan-cli');
afterAll(() => dir.remove());

const config = join(dir.path, 'planner.yaml');
writeFileSync(
  config,
  `storage: { dataDir: ${JSON.stringify(join(dir.path, 'data'))} }
series:
  - { name: generate-rps, step: 1m, horizon: 1h }
pools:
  - name: gpu-generate
    series: generate-rps
    capacityPerReplica: 20
    leadTime: 4m
    headroom: 0.15
    minReplicas: 1
    maxReplicas: 16
    gpusPerReplica: 1
    costPerReplicaHour: 2.5
    priority: 10
schedules:
  - name: business-hours
    cron: "0 8 * * 1-5"
    duration: 10h
    timezone: Europe/Berlin
    floor: { gpu-generate: 4 }
events:
  - name: launch
    start: 2026-12-01T09:00:00Z
    end: 2026-12-01T13:00:00Z
    floor: { gpu-generate: 12 }
quotas:
  maxGpus: 24
  maxCostPerHour: 50
  maxStepUp: 8
`,
);

interface PlanJson {
  pools: { pool: string; steps: { t: string; replicas: number; reason: string }[] }[];
}

describe('prescale plan', () => {
  it('--json prints { pools: [ { pool, steps: [ { t, replicas, reason } ] } ] } with pre-warming lead time before the event', async () => {
    const r = await runCli(['plan', '--config', config, '--at', '2026-12-01T08:40:00Z', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.pools.map((p) => p.pool)).toEqual(['gpu-generate']);
    const steps = out.pools[0]!.steps;
    expect(steps).toHaveLength(61);
    expect(steps[0]).toMatchObject({ t: '2026-12-01T08:40:00.000Z', replicas: 4, reason: 'schedule' });
    const at = (t: string) => steps.find((s) => s.t === t)!;
    expect(at('2026-12-01T08:55:00.000Z')).toMatchObject({ replicas: 4, reason: 'schedule' });
    expect(at('2026-12-01T08:56:00.000Z')).toMatchObject({ replicas: 12, reason: 'event' }); // 09:00 − 4m lead
  });

  it('prints a table with reasons by default', async () => {
    const r = await runCli(['plan', '--config', config, '--at', '2026-12-01T08:40:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pool gpu-generate');
    expect(r.stdout).toMatch(/2026-12-01 08:56\s+12\s+event/);
  });

  it.each([
    [['plan', '--config', config, '--at', 'tomorrow'], '--at'],
    [['plan', '--config', join(dir.path, 'missing.yaml')], 'missing.yaml'],
  ])('exits 2 with one line on stderr for bad input %#', async (args, mention) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(mention);
  });
});
