/**
 * One plan per step: when cluster facts bind (maxStepUp from the current replicas, the
 * namespace GPU ResourceQuota), the `prescale-plan-<pool>` metric, `GET /v1/plans` and the
 * actuator all see the same replicas. Real parts: the plan service, the metric value service,
 * the REST routes over HTTP, and the actuator through client-node against `FakeKubeApiServer`
 * (no kube-apiserver can run here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { buildHttpApp } from '../../../api/http/build-http-app';
import { metricsApiRoutes } from '../../../api/rest/metrics-api-routes';
import { planRoutes } from '../../../api/rest/plan-routes';
import { createActuatorMetrics } from '../../../src/actuator/actuator-metrics';
import { FileAuditLog } from '../../../src/actuator/audit-log';
import { ClientNodeKubeApi } from '../../../src/actuator/client-node-kube-api';
import { KubernetesActuator } from '../../../src/actuator/kubernetes-actuator';
import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { MetricValueService } from '../../../src/metric-providers/metric-value-service';
import { PlanMetricProvider } from '../../../src/metric-providers/plan-metric-provider';
import { PlanService } from '../../../src/planner/plan-service';
import { createLogger } from '../../../src/telemetry/logger';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';

const NS = 'prod';
const T0 = Date.parse('2026-12-01T09:30:10Z');
const logger = createLogger({ level: 'silent' });

const config = parseConfig({
  series: [{ name: 'generate-rps', step: '1m', horizon: '1h' }],
  pools: [
    { name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, leadTime: '4m', maxReplicas: 16, gpusPerReplica: 1, priority: 10 },
    { name: 'gpu-embed', series: 'generate-rps', capacityPerReplica: 200, leadTime: '2m', maxReplicas: 8, gpusPerReplica: 1 },
  ],
  // The launch is on: the plan holds its floors (no forecast is needed for that).
  events: [{ name: 'launch', start: '2026-12-01T09:00:00Z', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 6, 'gpu-embed': 3 } }],
  quotas: { maxStepUp: 2 },
  actuator: {
    mode: 'dry-run',
    namespace: NS,
    targets: [
      { pool: 'gpu-generate', kind: 'Deployment', name: 'gpu-balloon' },
      { pool: 'gpu-embed', kind: 'ScaledObject', name: 'embed' },
    ],
  },
});
const noForecasts = {
  forecast(name: string): never {
    throw new PrescaleError('FORECAST_NOT_READY', `series "${name}" has no forecast yet`);
  },
};

function getJson(port: number, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    }).on('error', reject);
  });
}

describe('one plan per step', () => {
  let kube: FakeKubeApiServer;
  let dir: string;
  let http: Server;
  let port: number;
  let now: number;
  let plans: PlanService;
  let actuator: KubernetesActuator;

  beforeEach(async () => {
    now = T0;
    const clock = { now: () => now };
    kube = await new FakeKubeApiServer().start();
    dir = mkdtempSync(join(tmpdir(), 'prescale-one-plan-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster: { server: "${kube.url}", insecure-skip-tls-verify: true }\nusers:\n- name: test\n  user: {}\ncontexts:\n- name: test\n  context: { cluster: test, user: test, namespace: ${NS} }\ncurrent-context: test\n`,
    );
    kube.seed({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gpu-balloon', namespace: NS }, spec: { replicas: 1 } });
    kube.seed({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'embed', namespace: NS }, spec: { minReplicaCount: 0, maxReplicaCount: 20 } });
    // 4 hard − 1 used + 1 held by the pools themselves = 4 GPUs for the pools.
    kube.seed({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'gpus', namespace: NS }, spec: { hard: { 'requests.nvidia.com/gpu': '4' } }, status: { hard: { 'requests.nvidia.com/gpu': '4' }, used: { 'requests.nvidia.com/gpu': '1' } } });
    plans = new PlanService({ config, forecasts: noForecasts, clock });
    const metrics = new MetricValueService({ providers: [new PlanMetricProvider(plans)], namespaces: [] });
    http = createServer(buildHttpApp([planRoutes(plans), metricsApiRoutes(metrics)], logger));
    port = await new Promise<number>((resolve) => http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)));
    actuator = new KubernetesActuator({
      config: config.actuator,
      pools: config.pools,
      api: await ClientNodeKubeApi.create({ kubeconfig }),
      elector: null,
      plans,
      audit: new FileAuditLog(join(dir, 'audit.jsonl')),
      clock,
      logger,
      metrics: createActuatorMetrics(new Registry()),
      identity: 'prescale-a',
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() },
    });
  });

  afterEach(async () => {
    await new Promise((resolve) => http.close(resolve));
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Current-step replicas per pool as the HPA (plan metric), the REST API and the actuator see them. */
  async function views(outcomes: { pool: string; to: number }[]) {
    const rest = (await getJson(port, '/v1/plans')) as { pools: { pool: string; steps: { replicas: number; reason: string }[] }[] };
    const metric = async (pool: string) => (await getJson(port, `/v1/metrics-api/prescale-plan-${pool}`))['value'];
    return {
      metric: { 'gpu-generate': await metric('gpu-generate'), 'gpu-embed': await metric('gpu-embed') },
      rest: Object.fromEntries(rest.pools.map((p) => [p.pool, p.steps[0]!.replicas])),
      actuator: Object.fromEntries(outcomes.map((o) => [o.pool, o.to])),
    };
  }

  it('when maxStepUp and the GPU ResourceQuota bind from cluster facts, the plan metric, GET /v1/plans and the actuator agree', async () => {
    // Before the actuator reports the cluster, the floors alone decide.
    expect((await getJson(port, '/v1/metrics-api/prescale-plan-gpu-embed'))['value']).toBe(3);
    const { outcomes } = await actuator.round();
    // generate: 1 → 3 (maxStepUp 2); embed: 0 → 2, then the 4 GPUs go to generate (priority 10) first: embed 1.
    const expected = { 'gpu-generate': 3, 'gpu-embed': 1 };
    expect(await views(outcomes)).toEqual({ metric: expected, rest: expected, actuator: expected });
    const rest = (await getJson(port, '/v1/plans/gpu-embed')) as { steps: { reason: string }[] };
    expect(rest.steps[0]!.reason).toBe('quota:resourceQuota');
  });

  it('plans once per step: later reads in the step get the same plan; the next step plans again', async () => {
    await actuator.round();
    const first = plans.current();
    now += 20_000;
    expect(plans.current()).toBe(first);
    expect(plans.planFor('gpu-generate').steps).toBe(first.pools[0]!.steps);
    now += 40_000;
    const next = plans.current();
    expect(next).not.toBe(first);
    expect(next.generatedAtMs).toBe(now);
  });

  it('new cluster facts within the step re-plan it for every reader', async () => {
    const before = plans.current();
    expect(before.pools.map((p) => p.steps[0]!.replicas)).toEqual([6, 3]);
    const { outcomes } = await actuator.round();
    expect(plans.current()).not.toBe(before);
    expect(plans.current().pools.map((p) => p.steps[0]!.replicas)).toEqual(outcomes.map((o) => o.to));
  });
});
