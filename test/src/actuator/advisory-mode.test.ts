/**
 * Advisory mode and decision records against `FakeKubeApiServer`, the in-test Kubernetes API
 * server over real HTTP that follows the API's rules (no kube-apiserver can run here). The
 * client is the real `@kubernetes/client-node`; decisions go to a real SQLite file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createActuatorMetrics } from '../../../src/actuator/actuator-metrics';
import { FileAuditLog } from '../../../src/actuator/audit-log';
import { ClientNodeKubeApi } from '../../../src/actuator/client-node-kube-api';
import { KubernetesActuator } from '../../../src/actuator/kubernetes-actuator';
import { parseConfig } from '../../../src/config/load-config';
import { DecisionRecorder } from '../../../src/decisions/decision-recorder';
import { SqliteDecisionStore } from '../../../src/decisions/sqlite-decision-store';
import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { KubernetesLeaseElection } from '../../../src/leader-election/kubernetes-lease-election';
import { PlanService } from '../../../src/planner/plan-service';
import { createLogger } from '../../../src/telemetry/logger';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { writeKubeconfig } from '../../helpers/kubeconfig';

const NS = 'prod';
const T0 = Date.parse('2026-12-01T09:30:00Z');

let server: FakeKubeApiServer;
let dir: string;
let kubeconfig: string;
let store: SqliteDecisionStore;
let now: number;
const clock = { now: () => now };

/** A forecast of 40 requests/s for the next hour, last observed 38 at 09:29: what the plan reads. */
function forecastOf(series: string): PublishedForecast {
  const points = Array.from({ length: 61 }, (_, i) => ({ t: T0 + i * 60_000, value: 40, quantiles: { '0.5': 40, '0.9': 40 } }));
  return { series, model: 'seasonal', generatedAtMs: T0 - 60_000, stepSeconds: 60, horizonSeconds: 3600, lastObserved: { t: T0 - 60_000, v: 38 }, stale: false, points };
}

beforeEach(async () => {
  server = await new FakeKubeApiServer().start();
  dir = mkdtempSync(join(tmpdir(), 'prescale-advisory-'));
  kubeconfig = writeKubeconfig(server, dir, NS);
  store = new SqliteDecisionStore(join(dir, 'decisions.sqlite'));
  now = T0;
  server.seed({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gpu-balloon', namespace: NS }, spec: { replicas: 1 }, status: { replicas: 2 } });
  server.seed({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'generate', namespace: NS }, spec: { minReplicas: 1, maxReplicas: 5 }, status: { currentReplicas: 3 } });
  server.seed({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'embed', namespace: NS }, spec: { minReplicas: 1, maxReplicas: 10 }, status: { currentReplicas: 4 } });
});

afterEach(async () => {
  store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function instance(mode: 'advisory' | 'actuate', actuator: Record<string, unknown> = {}, maxConflictRetries = 5) {
  const cfg = parseConfig({
    series: [{ name: 'generate-rps', step: '1m', horizon: '1h' }],
    pools: [
      { name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, leadTime: '4m', headroom: 0, maxReplicas: 16 },
      { name: 'gpu-embed', series: 'generate-rps', capacityPerReplica: 10, leadTime: '2m', headroom: 0, maxReplicas: 8 },
    ],
    events: [{ name: 'launch', start: '2026-12-01T09:00:00Z', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 6 } }],
    quotas: { maxGpus: 30 },
    actuator: {
      mode,
      namespace: NS,
      targets: [
        { pool: 'gpu-generate', kind: 'Deployment', name: 'gpu-balloon' },
        { pool: 'gpu-generate', kind: 'HorizontalPodAutoscaler', name: 'generate' },
        { pool: 'gpu-embed', kind: 'HorizontalPodAutoscaler', name: 'embed' },
      ],
      ...actuator,
    },
  });
  const api = await ClientNodeKubeApi.create({ kubeconfig });
  const logger = createLogger({ level: 'silent' });
  const forecasts = { forecast: forecastOf };
  const identity = 'prescale-0';
  return new KubernetesActuator({
    config: cfg.actuator,
    pools: cfg.pools,
    api,
    elector: new KubernetesLeaseElection({ api, namespace: NS, name: cfg.actuator.leaseName, identity, leaseDurationSeconds: 15, clock }),
    plans: new PlanService({ config: cfg, forecasts, clock }),
    audit: new FileAuditLog(join(dir, 'audit.jsonl')),
    clock,
    logger,
    metrics: createActuatorMetrics(new Registry()),
    identity,
    decisions: new DecisionRecorder({ store, pools: cfg.pools, quotas: cfg.quotas, forecasts, clock, logger, identity }),
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() },
    maxConflictRetries,
  });
}

const audit = (): Record<string, unknown>[] =>
  readFileSync(join(dir, 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('advisory mode', () => {
  it('writes nothing (no Lease, no patch, no Event) and records what it would set next to what the targets ran and the demand', async () => {
    const actuator = await instance('advisory');
    const round = await actuator.round();
    expect(round.leader).toBe(true);
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(server.get('Deployment', NS, 'gpu-balloon')!['spec']).toEqual({ replicas: 1 });
    // gpu-generate: the launch floor 6; its first target (the balloon Deployment) ran status.replicas 2.
    // gpu-embed: 40 rps / 10 per replica = 4; its HPA ran status.currentReplicas 4, so Prescale only raises the floor.
    expect(store.samples('gpu-generate', 0, T0)).toEqual([{ pool: 'gpu-generate', t: T0, planned: 6, actual: 2, withPrescale: 6, demand: 38 }]);
    expect(store.samples('gpu-embed', 0, T0)).toEqual([{ pool: 'gpu-embed', t: T0, planned: 4, actual: 4, withPrescale: 4, demand: 38 }]);
    const page = store.list({ limit: 10 });
    expect(page.items.map((d) => [d.pool, d.target.name, d.from, d.to, d.outcome, d.mode])).toEqual([
      ['gpu-embed', 'embed', 1, 4, 'advisory', 'advisory'],
      ['gpu-generate', 'generate', 1, 5, 'advisory', 'advisory'],
      ['gpu-generate', 'gpu-balloon', 1, 6, 'advisory', 'advisory'],
    ]);
  });

  it('records a decision once while the same change keeps being advised, with its inputs, and samples every round', async () => {
    const actuator = await instance('advisory');
    const first = await actuator.round();
    now += 30_000;
    const second = await actuator.round();
    expect(second.outcomes.map((o) => o.decision)).toEqual(first.outcomes.map((o) => o.decision));
    expect(store.list({ limit: 10 }).items).toHaveLength(3);
    expect(store.samples('gpu-generate', 0, now).map((s) => s.t)).toEqual([T0, T0 + 30_000]);
    const balloon = store.list({ limit: 10, pool: 'gpu-generate' }).items.find((d) => d.target.kind === 'Deployment')!;
    expect(balloon.inputs).toMatchObject({
      series: 'generate-rps',
      model: 'seasonal',
      forecastAt: new Date(T0 - 60_000).toISOString(),
      quantile: 0.9,
      leadTimeSeconds: 240,
      observedDemand: 38,
      forecastReplicas: 2,
      stale: false,
      quotas: { maxGpus: 30, plannedGpus: 10 },
      boundBy: { term: 'event' },
    });
    // The audit line carries the decision id too.
    expect(audit().map((e) => e['decision'])).toContain(balloon.id);
    // The target changes under it: a new decision.
    server.mutate('Deployment', NS, 'gpu-balloon', (o) => ((o['spec'] as Record<string, number>)['replicas'] = 3));
    now += 30_000;
    const third = await actuator.round();
    expect(third.outcomes[0]!.decision).not.toBe(balloon.id);
    expect(store.list({ limit: 10, pool: 'gpu-generate' }).items[0]).toMatchObject({ from: 3, to: 6, outcome: 'advisory' });
  });
});

describe('decision records while actuating', () => {
  it('keeps advisoryPools advisory, writes the others, and puts the decision id in the Event and the audit line', async () => {
    const actuator = await instance('actuate', { advisoryPools: ['gpu-embed'] });
    const round = await actuator.round();
    expect(server.get('HorizontalPodAutoscaler', NS, 'embed')!['spec']).toMatchObject({ minReplicas: 1 });
    expect(server.get('Deployment', NS, 'gpu-balloon')!['spec']).toEqual({ replicas: 6 });
    const written = store.list({ limit: 10, outcome: 'written' }).items;
    expect(written.map((d) => d.target.name).sort()).toEqual(['generate', 'gpu-balloon']);
    const events = server.list('Event', NS);
    for (const d of written) {
      const event = events.find((e) => (e['involvedObject'] as { name: string }).name === d.target.name)!;
      expect(event['message']).toContain(`decision ${d.id}`);
      expect(event.metadata['annotations']).toEqual({ 'prescale.dev/decision': d.id });
      expect(audit().find((a) => a['decision'] === d.id)).toMatchObject({ action: 'set', mode: 'actuate' });
    }
    expect(round.outcomes.find((o) => o.target.name === 'embed')).toMatchObject({ result: 'would-apply' });
    expect(store.list({ limit: 10, pool: 'gpu-embed' }).items[0]).toMatchObject({ outcome: 'advisory', mode: 'advisory' });
    expect(store.samples('gpu-embed', 0, now)).toHaveLength(1);
    expect(store.samples('gpu-generate', 0, now)).toHaveLength(0);
  });

  it('records a 409 Conflict that outlasts the retries as outcome conflict, and a plan above the target max as skipped', async () => {
    server.mutate('HorizontalPodAutoscaler', NS, 'generate', (o) => ((o['spec'] as Record<string, number>)['minReplicas'] = 5));
    const actuator = await instance('actuate', {}, 0);
    server.onNextWrite(/deployments\/gpu-balloon$/, () => server.mutate('Deployment', NS, 'gpu-balloon', (o) => ((o['spec'] as Record<string, number>)['replicas'] = 2)));
    await actuator.round();
    const byTarget = new Map(store.list({ limit: 10 }).items.map((d) => [d.target.name, d]));
    expect(byTarget.get('gpu-balloon')).toMatchObject({ outcome: 'conflict', from: 1, to: 6 });
    expect(byTarget.get('gpu-balloon')!.error).toMatch(/modified/);
    // The plan asks 6, the HPA's maxReplicas is 5 and minReplicas already 5: nothing to write, recorded once.
    expect(byTarget.get('generate')).toMatchObject({ outcome: 'skipped', from: 5, to: 5 });
  });
});
