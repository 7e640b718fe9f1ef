import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

const DEPLOY = join(__dirname, '..', '..', 'deploy');

/** Every folder under deploy/ with a kustomization.yaml (other helpers add more; they are picked up here). */
function kustomizations(dir: string): string[] {
  const found = existsSync(join(dir, 'kustomization.yaml')) ? [dir] : [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...kustomizations(path));
  }
  return found;
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The kubernetes-models class for an object: core `v1` → `kubernetes-models/v1`, `keda.sh/*` → `@kubernetes-models/keda`. */
async function modelClass(apiVersion: string, kind: string): Promise<new (data: object) => { validate(): void }> {
  const module = apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${apiVersion}` : `kubernetes-models/${apiVersion}`;
  const exports = (await import(module)) as Record<string, new (data: object) => { validate(): void }>;
  const cls = exports[kind];
  if (!cls) throw new Error(`no schema for ${apiVersion} ${kind} in ${module}`);
  return cls;
}

function build(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject).filter(Boolean);
}

describe('deploy/ kustomizations', () => {
  const dirs = kustomizations(DEPLOY);

  it('the schema check can fail: a malformed object is refused', async () => {
    const Deployment = await modelClass('apps/v1', 'Deployment');
    expect(() => new Deployment({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } }).validate()).toThrow();
    const ScaledObject = await modelClass('keda.sh/v1alpha1', 'ScaledObject');
    expect(() => new ScaledObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: { triggers: [] } }).validate()).toThrow();
  });

  it('finds the base, both modes and the examples', () => {
    expect(dirs.map((d) => relative(DEPLOY, d)).sort()).toEqual(expect.arrayContaining(['base', 'examples/hpa', 'examples/keda-scaledobject', 'keda', 'no-keda']));
  });

  it.each(dirs.map((d) => [relative(DEPLOY, d), d]))('%s builds with kubectl kustomize and every object validates against its schema', async (_name, dir) => {
    const objects = build(dir);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = await modelClass(object.apiVersion, object.kind);
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  describe('mode (a), no KEDA', () => {
    const objects = build(join(DEPLOY, 'no-keda'));
    const find = (kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

    it('registers v1beta1.external.metrics.k8s.io on the Service port 443 that targets the HTTPS port', () => {
      const [api] = find('APIService');
      expect(api).toMatchObject({
        metadata: { name: 'v1beta1.external.metrics.k8s.io' },
        spec: { group: 'external.metrics.k8s.io', version: 'v1beta1', service: { name: 'prescale', namespace: 'prescale', port: 443 }, insecureSkipTLSVerify: true },
      });
      expect((api!.spec as { caBundle?: string }).caBundle).toBeUndefined();
      const [svc] = find('Service', 'prescale');
      expect((svc!.spec as { ports: object[] }).ports).toContainEqual(expect.objectContaining({ name: 'https', port: 443, targetPort: 'https' }));
    });

    it('binds auth-delegator, the kube-system authentication reader and external metrics read access for the HPA controller', () => {
      expect(find('ClusterRoleBinding').map((b) => (b as unknown as { roleRef: { name: string } }).roleRef.name)).toEqual(
        expect.arrayContaining(['system:auth-delegator', 'prescale-external-metrics-reader']),
      );
      const [reader] = find('RoleBinding', 'prescale-auth-reader');
      expect(reader).toMatchObject({ metadata: { namespace: 'kube-system' }, roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' } });
      const hpa = find('ClusterRoleBinding', 'prescale-hpa-external-metrics')[0] as unknown as { subjects: object[] };
      expect(hpa.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' });
    });

    it('runs non-root with a read-only root filesystem, probes and resources', () => {
      const [deployment] = find('Deployment');
      const pod = (deployment!.spec as { template: { spec: { securityContext: object; containers: Array<Record<string, unknown>> } } }).template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      const container = pod.containers[0]!;
      expect(container['securityContext']).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(container['readinessProbe']).toBeDefined();
      expect(container['livenessProbe']).toBeDefined();
      expect(container['resources']).toMatchObject({ requests: expect.any(Object) });
      expect(container['ports']).toContainEqual(expect.objectContaining({ name: 'https', containerPort: 6443 }));
    });
  });

  describe('mode (b), KEDA', () => {
    it('has no APIService (KEDA owns it) and exposes the gRPC scaler', () => {
      const objects = build(join(DEPLOY, 'keda'));
      expect(objects.find((o) => o.kind === 'APIService')).toBeUndefined();
      const svc = objects.find((o) => o.kind === 'Service')!;
      expect((svc.spec as { ports: object[] }).ports).toContainEqual(expect.objectContaining({ name: 'grpc', port: 9090 }));
    });

    it('the example ScaledObject has an external trigger with the Prescale scalerMetadata keys', () => {
      const [so] = build(join(DEPLOY, 'examples', 'keda-scaledobject'));
      const triggers = (so!.spec as { triggers: Array<{ type: string; metadata: Record<string, string> }> }).triggers;
      const external = triggers.find((t) => t.type === 'external')!;
      expect(Object.keys(external.metadata).sort()).toEqual(['activationValue', 'aggregate', 'horizon', 'quantile', 'scalerAddress', 'series', 'targetValue']);
    });
  });

  it('the example HPA uses autoscaling/v2 External metrics with Value and AverageValue targets', () => {
    const [hpa] = build(join(DEPLOY, 'examples', 'hpa'));
    expect(hpa!.apiVersion).toBe('autoscaling/v2');
    const metrics = (hpa!.spec as { metrics: Array<{ type: string; external: { target: { type: string } } }> }).metrics;
    expect(metrics.every((m) => m.type === 'External')).toBe(true);
    expect(metrics.map((m) => m.external.target.type).sort()).toEqual(['AverageValue', 'Value']);
  });
});
