/**
 * components/monitoring against the real metrics: `promtool check rules` on the rule group,
 * every prescale_* metric the rules and the Grafana dashboard name exists on the /metrics of a
 * running server (aggregated API, KEDA scaler, scheduled training and a dry-run actuator on,
 * so their metrics are registered), and that output passes `promtool check metrics`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { KubeApiError, type KubeApi } from '../../src/actuator/kube-api';
import { parseConfig } from '../../src/config/load-config';
import { type RunningService, serve } from '../../main/serve';
import { createLogger } from '../../src/telemetry/logger';
import { tempDir } from '../helpers/test-server';
import { DEPLOY } from './kustomize-build';

const MONITORING = join(DEPLOY, 'components', 'monitoring');
const ruleGroups = (parseYaml(readFileSync(join(MONITORING, 'prometheusrule.yaml'), 'utf8')) as { spec: { groups: { rules: { expr: string }[] }[] } }).spec;
const dashboard = readFileSync(join(MONITORING, 'prescale-dashboard.json'), 'utf8');

/** Metrics the rules read from other exporters, with where they come from. */
const EXTERNAL = {
  up: 'Prometheus, per scrape target',
  aggregator_unavailable_apiservice: 'kube-apiserver (the aggregation layer)',
};

/** Every PromQL expression: alert rules, dashboard targets and variable queries. */
function expressions(): string[] {
  const fromRules = ruleGroups.groups.flatMap((g) => g.rules.map((r) => r.expr));
  const fromDashboard: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'expr' || k === 'definition') && typeof v === 'string') fromDashboard.push(v);
        else walk(v);
      }
    }
  };
  walk(JSON.parse(dashboard));
  return [...fromRules, ...fromDashboard];
}

/** Selector-bearing names (`name{`) and every prescale_* name in the expressions. */
function metricNames(exprs: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const e of exprs) {
    for (const m of e.matchAll(/\b(prescale_[a-z0-9_]+)\b/g)) names.add(m[1]!);
    for (const m of e.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) names.add(m[1]!);
  }
  return names;
}

/** Sample names a scrape of `text` can yield: each `# TYPE` family, with _bucket/_sum/_count for histograms and summaries. */
function exposed(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]!);
    if (m[2] === 'histogram' || m[2] === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m[1]!}${suffix}`);
  }
  return names;
}

/** A Kubernetes API that is not there: the dry-run actuator logs its failures and keeps its metrics. */
const unreachable = new Proxy({} as KubeApi, { get: () => () => Promise.reject(new KubeApiError(0, 'no cluster in this test')) });

describe('components/monitoring', () => {
  const dir = tempDir('monitoring');
  let running: RunningService;
  let metrics: string;

  beforeAll(async () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0, shutdownGrace: 1 },
      storage: { dataDir: dir.path },
      externalMetrics: { host: '127.0.0.1', port: 0 },
      keda: { host: '127.0.0.1', grpcPort: 0 },
      training: { schedule: '0 */6 * * *', backend: 'wasm' },
      series: [{ name: 'queue-depth', step: '1m', horizon: '1h' }],
      pools: [{ name: 'workers', series: 'queue-depth', capacityPerReplica: 10, maxReplicas: 4 }],
      actuator: { mode: 'dry-run', namespace: 'prescale', targets: [{ pool: 'workers', kind: 'Deployment', name: 'gpu-balloon' }] },
    });
    running = await serve({ config, logger: createLogger({ level: 'silent' }), kubeApi: unreachable });
    // The actuator registers its metrics during start-up, after the server listens.
    await running.started;
    metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
  });
  afterAll(async () => {
    await running?.stop();
    dir.remove();
  });

  it('the rule group passes promtool check rules', () => {
    const file = join(dir.path, 'rules.yaml');
    writeFileSync(file, stringify(ruleGroups));
    const res = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('every prescale metric the rules and the dashboard use is on /metrics; the others are named exporters', () => {
    const used = [...metricNames(expressions())];
    const onServer = exposed(metrics);
    expect(used.filter((n) => n.startsWith('prescale_') && !onServer.has(n))).toEqual([]);
    expect(used.filter((n) => !n.startsWith('prescale_')).sort()).toEqual(Object.keys(EXTERNAL).sort());
    // The check can fail: a name that is not exported is caught.
    expect(exposed(metrics).has('prescale_plan_replicas_made_up')).toBe(false);
  });

  it('the rules cover stale series, a source down, failing training, the aggregated API and a plan capped by a quota', () => {
    const used = metricNames(ruleGroups.groups.flatMap((g) => g.rules.map((r) => r.expr)));
    for (const name of ['prescale_series_stale', 'prescale_source_up', 'prescale_training_last_failure_timestamp_seconds', 'aggregator_unavailable_apiservice', 'prescale_plan_quota_bound']) expect(used).toContain(name);
  });

  it('/metrics passes promtool check metrics (no *_total gauges, no flipping stale label)', () => {
    const res = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    expect([res.status, res.stdout, res.stderr]).toEqual([0, '', '']);
    expect(metrics).not.toMatch(/^prescale_forecast_value\{[^}]*stale=/m);
  });
});
