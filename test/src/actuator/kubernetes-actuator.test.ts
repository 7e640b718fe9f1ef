/**
 * Actuator tests against `FakeKubeApiServer`: an in-test HTTP server that follows the
 * Kubernetes API's rules for the calls Prescale makes, because no kube-apiserver can run in
 * this environment. The client side is the real `@kubernetes/client-node` over real HTTP.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createActuatorMetrics } from '../../../src/actuator/actuator-metrics';
import { FileAuditLog } from '../../../src/actuator/audit-log';
import { ClientNodeKubeApi } from '../../../src/actuator/client-node-kube-api';
import { KubernetesActuator } from '../../../src/actuator/kubernetes-actuator';
import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { KubernetesLeaseElection } from '../../../src/leader-election/kubernetes-lease-election';
import { PlanService } from '../../../src/planner/plan-service';
import { createLogger } from '../../../src/telemetry/logger';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';

const NS = 'prod';
const T0 = Date.parse('2026-12-01T09:30:00Z');

let server: FakeKubeApiServer;
let dir: string;
let kubeconfig: string;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  server = await new FakeKubeApiServer().start();
  dir = mkdtempSync(join(tmpdir(), 'prescale-actuator-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster: { server: "${server.url}", insecure-skip-tls-verify: true }\nusers:\n- name: test\n  user: {}\ncontexts:\n- name: test\n  context: { cluster: test, user: test, namespace: ${NS} }\ncurrent-context: test\n`,
  );
  now = T0;
  server.seed({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gpu-balloon', namespace: NS }, spec: { replicas: 1 } });
  server.seed({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'generate', namespace: NS }, spec: { minReplicas: 1, maxReplicas: 5 } });
  server.seed({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'embed', namespace: NS }, spec: { minReplicaCount: 0, maxReplicaCount: 20 } });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(mode: 'dry-run' | 'actuate', extra: Record<string, unknown> = {}) {
  return parseConfig({
    series: [{ name: 'generate-rps', step: '1m', horizon: '1h' }],
    pools: [
      { name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, leadTime: '4m', maxReplicas: 16, gpusPerReplica: 1, priority: 10 },
      { name: 'gpu-embed', series: 'generate-rps', capacityPerReplica: 200, leadTime: '2m', maxReplicas: 8, gpusPerReplica: 1 },
    ],
    // The launch is on: the plan holds its floors (no forecast is needed for that).
    events: [{ name: 'launch', start: '2026-12-01T09:00:00Z', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 6, 'gpu-embed': 3 } }],
    actuator: {
      mode,
      namespace: NS,
      leaseDuration: '15s',
      targets: [
        { pool: 'gpu-generate', kind: 'Deployment', name: 'gpu-balloon' },
        { pool: 'gpu-generate', kind: 'HorizontalPodAutoscaler', name: 'generate' },
        { pool: 'gpu-embed', kind: 'ScaledObject', name: 'embed' },
      ],
    },
    ...extra,
  });
}

const noForecasts = {
  forecast(name: string): never {
    throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no forecast yet`);
  },
};

async function instance(identity: string, mode: 'dry-run' | 'actuate' = 'actuate', extra: Record<string, unknown> = {}) {
  const cfg = config(mode, extra);
  const api = await ClientNodeKubeApi.create({ kubeconfig });
  const registry = new Registry();
  const elector = new KubernetesLeaseElection({ api, namespace: NS, name: cfg.actuator.leaseName, identity, leaseDurationSeconds: cfg.actuator.leaseDuration, clock });
  const plans = new PlanService({ config: cfg, forecasts: noForecasts, clock });
  const actuator = new KubernetesActuator({
    config: cfg.actuator,
    pools: cfg.pools,
    api,
    elector,
    plans,
    audit: new FileAuditLog(join(dir, 'audit.jsonl')),
    clock,
    logger: createLogger({ level: 'silent' }),
    metrics: createActuatorMetrics(registry),
    identity,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() },
  });
  return { actuator, elector, registry };
}

const audit = (): Record<string, unknown>[] =>
  readFileSync(join(dir, 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const writes = () => server.requests.filter((r) => r.method === 'PATCH');

describe('two Prescale instances competing for the Lease', () => {
  it('elect exactly one leader when both race to create the Lease, and only it writes', async () => {
    const a = await instance('prescale-a');
    const b = await instance('prescale-b');
    const [ra, rb] = await Promise.all([a.actuator.round(), b.actuator.round()]);
    expect([ra.leader, rb.leader].filter(Boolean)).toHaveLength(1);
    const leader = ra.leader ? 'prescale-a' : 'prescale-b';
    const lease = server.get('Lease', NS, 'prescale-actuator')!;
    expect(lease['spec']).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 15, leaseTransitions: 0 });
    // the loser's create was answered 409 AlreadyExists (or its replace 409 Conflict)
    expect(server.requests.some((r) => r.path.endsWith('/leases') || r.path.endsWith('/leases/prescale-actuator')) && server.requests.some((r) => r.status === 409)).toBe(true);
    // only the leader patched the targets
    expect(writes()).toHaveLength(3);
    expect(new Set(audit().map((e) => e['who']))).toEqual(new Set([leader]));
  });

  it('renews the Lease while the leader runs, hands over when it stops renewing, and counts the transition', async () => {
    const a = await instance('prescale-a');
    const b = await instance('prescale-b');
    expect((await a.actuator.round()).leader).toBe(true);
    const firstRenew = (server.get('Lease', NS, 'prescale-actuator')!['spec'] as Record<string, string>)['renewTime'];
    for (let i = 0; i < 3; i++) {
      now += 5_000;
      expect((await a.actuator.round()).leader).toBe(true);
      expect((await b.actuator.round()).leader).toBe(false);
    }
    const renewed = server.get('Lease', NS, 'prescale-actuator')!['spec'] as Record<string, unknown>;
    expect(renewed['renewTime']).not.toBe(firstRenew);
    expect(renewed['renewTime']).toMatch(/\.\d{6}Z$/); // MicroTime on the wire
    expect(renewed).toMatchObject({ holderIdentity: 'prescale-a', leaseTransitions: 0 });
    // a stops renewing; b sees no renewal for a full lease duration on its own clock
    now += 10_000;
    expect((await b.actuator.round()).leader).toBe(false);
    now += 6_000;
    expect((await b.actuator.round()).leader).toBe(true);
    const taken = server.get('Lease', NS, 'prescale-actuator')!['spec'] as Record<string, unknown>;
    expect(taken).toMatchObject({ holderIdentity: 'prescale-b', leaseTransitions: 1 });
    expect(Date.parse(String(taken['acquireTime']))).toBe(now);
    // a comes back: it sees b's fresh renewal and stands down
    expect((await a.actuator.round()).leader).toBe(false);
    expect(a.elector.isLeader()).toBe(false);
  });

  it('releases the Lease on stop so the other instance takes over at once', async () => {
    const a = await instance('prescale-a');
    const b = await instance('prescale-b');
    await a.actuator.round();
    await b.actuator.round();
    await a.actuator.stop();
    now += 1_000;
    expect((await b.actuator.round()).leader).toBe(true);
    expect(server.get('Lease', NS, 'prescale-actuator')!['spec']).toMatchObject({ holderIdentity: 'prescale-b', leaseTransitions: 1 });
  });
});

describe('actuate mode', () => {
  it('scales the balloon Deployment, raises HPA minReplicas (up to its max) and KEDA minReplicaCount with merge patches', async () => {
    const { actuator, registry } = await instance('prescale-a');
    const { outcomes } = await actuator.round();
    expect(outcomes.map((o) => [o.target.kind, o.from, o.to, o.result])).toEqual([
      ['Deployment', 1, 6, 'applied'],
      ['HorizontalPodAutoscaler', 1, 5, 'applied'], // plan 6, HPA maxReplicas 5
      ['ScaledObject', 0, 3, 'applied'],
    ]);
    expect(server.get('Deployment', NS, 'gpu-balloon')!['spec']).toMatchObject({ replicas: 6 });
    expect(server.get('HorizontalPodAutoscaler', NS, 'generate')!['spec']).toMatchObject({ minReplicas: 5, maxReplicas: 5 });
    expect(server.get('ScaledObject', NS, 'embed')!['spec']).toMatchObject({ minReplicaCount: 3 });
    expect(writes().map((w) => [w.path, w.contentType])).toEqual([
      [`/apis/apps/v1/namespaces/${NS}/deployments/gpu-balloon`, 'application/merge-patch+json'],
      [`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/generate`, 'application/merge-patch+json'],
      [`/apis/keda.sh/v1alpha1/namespaces/${NS}/scaledobjects/embed`, 'application/merge-patch+json'],
    ]);
    expect(await registry.getSingleMetricAsString('prescale_actuator_changes_total')).toContain('result="applied"');
  });

  it('records every change as a Kubernetes Event on the target and in the audit log (who, what, from, to, why)', async () => {
    const { actuator } = await instance('prescale-a');
    await actuator.round();
    const events = server.list('Event', NS);
    expect(events).toHaveLength(3);
    const balloon = events.find((e) => (e['involvedObject'] as Record<string, unknown>)['kind'] === 'Deployment')!;
    expect(balloon).toMatchObject({
      reason: 'PrescalePlanApplied',
      type: 'Normal',
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gpu-balloon', namespace: NS, uid: server.get('Deployment', NS, 'gpu-balloon')!.metadata['uid'] },
      reportingInstance: 'prescale-a',
    });
    expect(String(balloon['message'])).toContain('spec.replicas 1 → 6 for pool gpu-generate: event');
    expect(audit()[0]).toMatchObject({
      who: 'prescale-a',
      mode: 'actuate',
      action: 'set',
      pool: 'gpu-generate',
      target: { kind: 'Deployment', namespace: NS, name: 'gpu-balloon', field: 'spec.replicas' },
      from: 1,
      to: 6,
      why: { term: 'event' },
    });
  });

  it('on 409 Conflict re-reads the object and applies again', async () => {
    const { actuator, registry } = await instance('prescale-a');
    // another writer changes the Deployment between our read and our patch
    server.onNextWrite(/deployments\/gpu-balloon$/, () => server.mutate('Deployment', NS, 'gpu-balloon', (o) => ((o['spec'] as Record<string, number>)['replicas'] = 2)));
    const { outcomes } = await actuator.round();
    expect(outcomes[0]).toMatchObject({ from: 2, to: 6, result: 'applied', conflicts: 1 });
    expect(writes().filter((w) => w.path.endsWith('gpu-balloon')).map((w) => w.status)).toEqual([409, 200]);
    expect(server.get('Deployment', NS, 'gpu-balloon')!['spec']).toMatchObject({ replicas: 6 });
    expect(await registry.getSingleMetricAsString('prescale_actuator_conflicts_total')).toContain('kind="Deployment"} 1');
  });

  it('retries transient API failures with backoff', async () => {
    const { actuator } = await instance('prescale-a');
    server.failNext(/deployments\/gpu-balloon$/, 503, 2);
    const { outcomes } = await actuator.round();
    expect(outcomes[0]).toMatchObject({ result: 'applied', to: 6 });
    expect(server.requests.filter((r) => r.path.endsWith('gpu-balloon') && r.status === 503)).toHaveLength(2);
  });

  it('plans within the namespace ResourceQuota for requests.nvidia.com/gpu and says so', async () => {
    server.seed({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'gpus', namespace: NS }, spec: { hard: { 'requests.nvidia.com/gpu': '6' } }, status: { hard: { 'requests.nvidia.com/gpu': '6' }, used: { 'requests.nvidia.com/gpu': '1' } } });
    const { actuator } = await instance('prescale-a');
    const { outcomes } = await actuator.round();
    // 6 hard − 1 used + 1 held by the pools themselves (balloon 1, embed 0) = 6 GPUs: generate (priority 10) gets 6, embed 0
    expect(outcomes.map((o) => [o.pool, o.target.kind, o.to])).toEqual([
      ['gpu-generate', 'Deployment', 6],
      ['gpu-generate', 'HorizontalPodAutoscaler', 5],
      ['gpu-embed', 'ScaledObject', 0],
    ]);
    expect(audit().find((e) => e['pool'] === 'gpu-embed')).toBeUndefined(); // 0 → 0: unchanged
    expect(actuator.context().resourceQuotaGpus).toBe(6);
  });

  it('does not write again when the target already has the planned value', async () => {
    const { actuator } = await instance('prescale-a');
    await actuator.round();
    const before = writes().length;
    now += 5_000;
    const { outcomes } = await actuator.round();
    expect(outcomes.map((o) => o.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(writes()).toHaveLength(before);
  });
});

describe('dry-run mode', () => {
  it('writes nothing (no Lease, no patch, no Event) and audits what it would do', async () => {
    const { actuator } = await instance('prescale-a', 'dry-run');
    const { outcomes } = await actuator.round();
    expect(outcomes.map((o) => o.error ?? o.result)).toEqual(['would-apply', 'would-apply', 'would-apply']);
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(audit().map((e) => [e['action'], e['from'], e['to']])).toEqual([
      ['would-set', 1, 6],
      ['would-set', 1, 5],
      ['would-set', 0, 3],
    ]);
  });
});
