import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/load-config';
import { REPO_ROOT } from '../helpers/test-server';

/** deploy/components/actuator (inside deploy/examples/keda-production) rendered by the real `kubectl kustomize`, checked against the calls the actuator makes. */
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
type Doc = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

// components/actuator inside the smallest overlay that uses it (a Component builds only in one).
const overlay = parseAllDocuments(execFileSync('kubectl', ['kustomize', join(REPO_ROOT, 'deploy', 'examples', 'keda-production')], { encoding: 'utf8' })).map((d) => d.toJSON() as Doc);
const docs = overlay.filter((d) => ['Role', 'RoleBinding', 'PriorityClass'].includes(d.kind) || (d.kind === 'Deployment' && d.metadata.name === 'gpu-balloon') || d.kind === 'ServiceAccount');
const byKind = (kind: string): Doc[] => docs.filter((d) => d.kind === kind);
const leaseName = parseConfig({}).actuator.leaseName;

// Every call of ClientNodeKubeApi: [apiGroup, resource, verb, resourceName?]
const CALLS: [string, string, string, string?][] = [
  ['coordination.k8s.io', 'leases', 'create'],
  ['coordination.k8s.io', 'leases', 'get', leaseName],
  ['coordination.k8s.io', 'leases', 'update', leaseName],
  ['apps', 'deployments', 'get'],
  ['apps', 'deployments', 'patch'],
  ['autoscaling', 'horizontalpodautoscalers', 'get'],
  ['autoscaling', 'horizontalpodautoscalers', 'patch'],
  ['keda.sh', 'scaledobjects', 'get'],
  ['keda.sh', 'scaledobjects', 'patch'],
  ['', 'events', 'create'],
  ['', 'resourcequotas', 'list'],
];

describe('deploy/components/actuator', () => {
  const rules = (byKind('Role')[0]?.['rules'] ?? []) as Rule[];

  // one test per call, named after it
  for (const [group, resource, verb, name] of CALLS) {
    it(`lets the actuator ${verb} ${group || 'core'}/${resource}${name ? `/${name}` : ''}`, () => {
      const allowed = rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb) && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))));
      expect(allowed).toBe(true);
    });
  }

  it('grants nothing else: no wildcards, no cluster-wide role, no verbs beyond the calls', () => {
    // The one cluster-wide binding in this example is components/rest-auth's system:auth-delegator (TokenReview), not the actuator's.
    const clusterWide = overlay.filter((d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding');
    expect(clusterWide.map((d) => d.metadata.name)).toEqual(['prescale-auth-delegator']);
    expect(clusterWide[0]?.['roleRef']).toMatchObject({ kind: 'ClusterRole', name: 'system:auth-delegator' });
    for (const r of rules) {
      expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
      for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) expect(CALLS.some(([cg, cr, cv]) => cg === g && cr === res && cv === v)).toBe(true);
    }
  });

  it('binds the role to the prescale ServiceAccount in one namespace', () => {
    const [binding] = byKind('RoleBinding');
    const [sa] = byKind('ServiceAccount');
    expect(binding).toMatchObject({ roleRef: { kind: 'Role', name: byKind('Role')[0]!.metadata.name }, subjects: [{ kind: 'ServiceAccount', name: sa!.metadata.name }] });
    expect(new Set(docs.filter((d) => d.kind !== 'PriorityClass').map((d) => d.metadata.namespace))).toEqual(new Set(['prescale']));
  });

  it('runs balloon pods at a low PriorityClass that never preempts, requesting a GPU each', () => {
    const [pc] = byKind('PriorityClass');
    expect(pc).toMatchObject({ preemptionPolicy: 'Never', globalDefault: false });
    expect(pc!['value'] as number).toBeLessThan(0);
    const [balloon] = byKind('Deployment');
    const pod = (balloon!['spec'] as { template: { spec: { priorityClassName: string; containers: { resources: { requests: Record<string, string> } }[] } } }).template.spec;
    expect(pod.priorityClassName).toBe(pc!.metadata.name);
    expect(pod.containers[0]!.resources.requests['nvidia.com/gpu']).toBe('1');
  });
});
