/**
 * Every supported combination under deploy/examples (and deploy/base alone), rendered by the
 * real `kubectl kustomize` (client-side, no cluster): each object validates against its
 * schema, no kind/namespace/name appears twice, and the config each combination ships turns
 * on exactly the modes its components wire up.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEPLOY, type K8sObject, build, buildOverlay, duplicates, key, kustomizations } from './kustomize-build';
import { parseShippedConfig } from './shipped-config';

type Model = new (data: object) => { validate(): void };

/**
 * Custom resources whose kubernetes-models packages (`@kubernetes-models/prometheus-operator`,
 * `@kubernetes-models/cert-manager`) are not dependencies here: the fields Prescale relies on.
 */
const CRD_SHAPES: Record<string, z.ZodType> = {
  'monitoring.coreos.com/v1 ServiceMonitor': z.looseObject({
    spec: z.looseObject({ selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()) }), endpoints: z.array(z.looseObject({ port: z.string(), path: z.string() })).min(1) }),
  }),
  'monitoring.coreos.com/v1 PrometheusRule': z.looseObject({
    spec: z.strictObject({ groups: z.array(z.strictObject({ name: z.string(), rules: z.array(z.looseObject({ alert: z.string(), expr: z.string() })).min(1) })).min(1) }),
  }),
  'cert-manager.io/v1 Issuer': z.looseObject({ spec: z.union([z.strictObject({ selfSigned: z.object({}) }), z.looseObject({ ca: z.looseObject({ secretName: z.string() }) })]) }),
  'cert-manager.io/v1 Certificate': z.looseObject({
    // A serving certificate names its hosts; a CA or client certificate only its commonName.
    spec: z
      .looseObject({ secretName: z.string(), commonName: z.string().optional(), dnsNames: z.array(z.string()).min(1).optional(), issuerRef: z.looseObject({ kind: z.enum(['Issuer', 'ClusterIssuer']), name: z.string() }) })
      .refine((spec) => spec.dnsNames !== undefined || spec.commonName !== undefined, 'dnsNames or commonName'),
  }),
};

async function validate(object: K8sObject): Promise<void> {
  const crd = CRD_SHAPES[`${object.apiVersion} ${object.kind}`];
  if (crd) {
    crd.parse(object);
    return;
  }
  const module = object.apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${object.apiVersion}` : `kubernetes-models/${object.apiVersion}`;
  const cls = ((await import(module)) as Record<string, Model>)[object.kind];
  if (!cls) throw new Error(`no schema for ${object.apiVersion} ${object.kind} in ${module}`);
  new cls(object).validate();
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; emptyDir?: object; secret?: { secretName: string }; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[];
}
const podSpec = (o: K8sObject): PodSpec | undefined => {
  const spec = o.spec as { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } } | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec;
};

const examples = kustomizations(join(DEPLOY, 'examples'));
const combinations = examples.filter((d) => !relative(DEPLOY, d).startsWith('examples/consumers'));

describe('deploy/ kustomizations', () => {
  it('the schema check can fail: a malformed object is refused', async () => {
    await expect(validate({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: 'two' } })).rejects.toThrow();
    await expect(validate({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: { triggers: [] } })).rejects.toThrow();
    await expect(validate({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'x' }, spec: { groups: [{ name: 'g', rules: [] }] } })).rejects.toThrow();
  });

  it('finds the base, every combination and the consumer examples, each listed in docs/kubernetes.md', () => {
    const names = combinations.map((d) => relative(DEPLOY, d));
    expect(names.sort()).toEqual(
      ['examples/aggregated-api', 'examples/aggregated-api-insecure', 'examples/aggregated-api-production', 'examples/ha-postgres', 'examples/keda', 'examples/keda-production'].sort(),
    );
    const doc = readFileSync(join(DEPLOY, '..', 'docs', 'kubernetes.md'), 'utf8');
    expect([...names, 'examples/consumers/hpa', 'examples/consumers/keda-scaledobject'].filter((n) => !doc.includes(`deploy/${n}`))).toEqual([]);
  });

  it.each([join(DEPLOY, 'base'), ...examples].map((d) => [relative(DEPLOY, d), d]))('%s builds, every object validates, and no kind/namespace/name repeats', async (_name, dir) => {
    const objects = build(dir);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) await expect(validate(object).then(() => key(object))).resolves.toBe(key(object));
    expect(duplicates(objects)).toEqual([]);
  });

  it('the duplicate check can fail: the ServiceAccount twice is caught', () => {
    const objects = build(join(DEPLOY, 'base'));
    const sa = objects.find((o) => o.kind === 'ServiceAccount')!;
    expect(duplicates([...objects, sa])).toEqual(['ServiceAccount/prescale/prescale']);
  });
});

describe.each(combinations.map((d) => [relative(DEPLOY, d), d]))('%s', (name, dir) => {
  const objects = build(dir);
  const find = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
  const configMap = find('ConfigMap').find((c) => c.metadata.name.startsWith('prescale-config'))!;
  const rawConfig = parseYaml(configMap.data!['config.yaml']!) as { storage?: { backend?: string; postgres?: { urlFile?: string } } };
  const config = parseShippedConfig(rawConfig);
  const postgres = rawConfig.storage?.backend === 'postgres';
  // The serving pods: the SQLite StatefulSet of deploy/base, or the Deployment of the PostgreSQL mode.
  const server = [...find('StatefulSet'), ...find('Deployment')].find((s) => s.metadata.name === 'prescale')!;
  const pod = podSpec(server)!;
  const container = pod.containers.find((c) => c.name === 'prescale')!;
  const mountOf = (volume: string): string | undefined => container.volumeMounts?.find((m) => m.name === volume)?.mountPath;
  const apiService = find('APIService')[0];

  it('keeps history on the StatefulSet claim: one replica, a ReadWriteOnce volumeClaimTemplate at storage.dataDir, never an emptyDir, no ReadWriteMany claim', () => {
    if (postgres) return; // the PostgreSQL mode keeps no history in the pod: its own test below
    expect(server.kind).toBe('StatefulSet');
    const spec = server.spec as { replicas: number; volumeClaimTemplates: { metadata: { name: string }; spec: { accessModes: string[] } }[] };
    expect(spec.replicas).toBe(1);
    const [claim] = spec.volumeClaimTemplates;
    expect(claim!.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(mountOf(claim!.metadata.name)).toBe(config.storage.dataDir);
    expect(pod.volumes?.find((v) => mountOf(v.name) === config.storage.dataDir)).toBeUndefined();
    expect(find('Deployment').filter((d) => d.metadata.name === 'prescale')).toEqual([]);
    for (const pvc of find('PersistentVolumeClaim')) expect((pvc.spec as { accessModes: string[] }).accessModes).not.toContain('ReadWriteMany');
    // Retraining stays in-process; the training-job component is for a shared store only.
    expect(config.training.schedule).toBeDefined();
    expect(find('CronJob')).toEqual([]);
  });

  it('runs non-root with a read-only root filesystem, probes and resources', () => {
    const raw = (server.spec as { template: { spec: { securityContext: object; containers: Record<string, unknown>[] } } }).template.spec;
    expect(raw.securityContext).toMatchObject({ runAsNonRoot: true });
    const c = raw.containers.find((x) => x['name'] === 'prescale')!;
    expect(c['securityContext']).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(c[probe]).toBeDefined();
    expect(c['resources']).toMatchObject({ requests: expect.any(Object) });
  });

  it('has a PodDisruptionBudget that selects the serving pods and no other workload', () => {
    const [pdb] = find('PodDisruptionBudget');
    const selector = (pdb!.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    type Template = { metadata: { labels: Record<string, string> } };
    const labels = (o: K8sObject): Record<string, string> => {
      const spec = o.spec as { template?: Template; jobTemplate?: { spec: { template: Template } } };
      return (spec.template ?? spec.jobTemplate!.spec.template).metadata.labels;
    };
    const selects = (o: K8sObject): boolean => Object.entries(selector).every(([k, v]) => labels(o)[k] === v);
    expect(selects(server)).toBe(true);
    for (const other of [...find('Deployment'), ...find('CronJob')]) if (other !== server) expect(selects(other)).toBe(false);
  });

  it('mounts every volume it uses, and every ConfigMap it mounts exists', () => {
    const configMaps = new Set(find('ConfigMap').map((c) => c.metadata.name));
    for (const o of objects) {
      const spec = podSpec(o);
      if (!spec) continue;
      const claims = ((o.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []).map((c) => c.metadata.name);
      for (const c of spec.containers) for (const m of c.volumeMounts ?? []) expect([...(spec.volumes ?? []).map((v) => v.name), ...claims]).toContain(m.name);
      for (const v of spec.volumes ?? []) if (v.configMap) expect(configMaps).toContain(v.configMap.name);
    }
  });

  it('pins the Prescale image through images:', () => {
    const kustomization = parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { images: { name: string; newName: string; newTag: string }[] };
    const [pin] = kustomization.images;
    expect(container.image).toBe(`${pin!.newName}:${pin!.newTag}`);
  });

  it('turns on the aggregated API in the config exactly when it registers the APIService, verifying TLS unless the insecure opt-in is chosen', () => {
    expect(config.externalMetrics !== undefined).toBe(apiService !== undefined);
    if (!apiService) return;
    expect(container.ports).toContainEqual(expect.objectContaining({ name: 'https', containerPort: config.externalMetrics!.port }));
    const svc = find('Service').find((s) => s.metadata.name === 'prescale')!;
    expect((svc.spec as { ports: object[] }).ports).toContainEqual(expect.objectContaining({ name: 'https', port: 443, targetPort: 'https' }));
    const spec = apiService.spec as { insecureSkipTLSVerify?: boolean; caBundle?: string; service: object };
    expect(spec.service).toEqual({ name: 'prescale', namespace: 'prescale', port: 443 });
    const injectFrom = apiService.metadata.annotations?.['cert-manager.io/inject-ca-from'];
    if (name.endsWith('-insecure')) {
      expect(spec.insecureSkipTLSVerify).toBe(true);
      expect(config.externalMetrics!.tls).toBeUndefined();
      return;
    }
    expect(spec.insecureSkipTLSVerify).toBeUndefined();
    // cert-manager injects caBundle from the Certificate whose Secret the pod mounts at the config's tls paths.
    const [namespace, certName] = injectFrom!.split('/');
    const cert = find('Certificate').find((c) => c.metadata.namespace === namespace && c.metadata.name === certName)!;
    const { secretName, dnsNames } = cert.spec as { secretName: string; dnsNames: string[] };
    expect(dnsNames).toContain('prescale.prescale.svc');
    const secretVolume = pod.volumes!.find((v) => v.secret?.secretName === secretName)!;
    expect(config.externalMetrics!.tls!.certFile).toBe(`${mountOf(secretVolume.name)}/tls.crt`);
    expect(config.externalMetrics!.tls!.keyFile).toBe(`${mountOf(secretVolume.name)}/tls.key`);
  });

  it('binds system:auth-delegator exactly when the config checks tokens by TokenReview, and leaves no state change open', () => {
    const delegator = [...find('ClusterRoleBinding'), ...find('RoleBinding')].filter((b) => (b as unknown as { roleRef: { name: string } }).roleRef.name === 'system:auth-delegator');
    expect(delegator.length > 0).toBe(config.server.auth?.kubernetes?.tokenReview === true);
    // Pushes, training, promotion and rollback need credentials in every shipped combination.
    expect(config.server.auth).toBeDefined();
  });

  it('with the KEDA scaler: mTLS, with the CA and serving certificate from the mounted cert-manager Secret', () => {
    if (!config.keda) return;
    const tls = config.keda.tls!;
    expect(tls.clientCAFile).toBeDefined();
    const cert = find('Certificate').find((c) => ((c.spec as { dnsNames?: string[] }).dnsNames ?? []).includes('prescale.prescale.svc') && c.metadata.name.includes('keda'))!;
    const secretVolume = pod.volumes!.find((v) => v.secret?.secretName === (cert.spec as { secretName: string }).secretName)!;
    const dir = mountOf(secretVolume.name);
    expect([tls.certFile, tls.keyFile, tls.clientCAFile]).toEqual([`${dir}/tls.crt`, `${dir}/tls.key`, `${dir}/ca.crt`]);
  });

  it('turns on the KEDA scaler exactly when it exposes the gRPC port, and never with the APIService', () => {
    const svc = find('Service').find((s) => s.metadata.name === 'prescale')!;
    const grpc = (svc.spec as { ports: { name: string; port: number }[] }).ports.find((p) => p.name === 'grpc');
    expect(config.keda !== undefined).toBe(grpc !== undefined);
    if (config.keda) {
      expect(grpc!.port).toBe(config.keda.grpcPort);
      expect(apiService).toBeUndefined();
    }
  });

  it('actuates exactly when it ships the actuator RBAC, and its targets exist', () => {
    const role = find('Role').find((r) => r.metadata.name === 'prescale-actuator');
    expect(config.actuator.mode === 'actuate').toBe(role !== undefined);
    if (!role) return;
    expect(role.metadata.namespace).toBe(config.actuator.namespace);
    for (const t of config.actuator.targets) expect(objects.map(key)).toContain(`${t.kind}/${t.namespace ?? config.actuator.namespace}/${t.name}`);
  });

  it('with the network policy: the aggregated API open to the API server, the REST and gRPC ports only from listed namespaces', () => {
    const [policy] = find('NetworkPolicy');
    if (!policy) return;
    type Rule = { ports: { port: string }[]; from: { ipBlock?: object; namespaceSelector?: { matchExpressions: { key: string; operator: string; values: string[] }[] } }[] };
    const rules = (policy.spec as { ingress: Rule[] }).ingress;
    const containerPorts = new Set(pod.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)));
    for (const port of ['http', ...(config.keda ? ['grpc'] : []), ...(config.externalMetrics ? ['https'] : [])]) {
      expect(containerPorts).toContain(port);
      expect(rules.some((r) => r.ports.some((p) => p.port === port))).toBe(true);
    }
    const rest = rules.find((r) => r.ports.some((p) => p.port === 'http'))!;
    expect(rest.from).toEqual([{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: expect.arrayContaining(['monitoring']) }] } }]);
  });
});

describe('components/training-job (for a shared store only)', () => {
  it.each(['aggregated-api', 'keda'])('composes with the %s mode: validates, no duplicates, shares the config, no claim of its own, its pods outside the Service', async (mode) => {
    const objects = buildOverlay(['base'], [`components/${mode}`, 'components/training-job']);
    for (const object of objects) await validate(object);
    expect(duplicates(objects)).toEqual([]);
    const job = objects.find((o) => o.kind === 'CronJob')!;
    const spec = podSpec(job)!;
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    expect(configMaps).toContain(spec.volumes!.find((v) => v.configMap)!.configMap!.name);
    expect(spec.volumes!.some((v) => v.persistentVolumeClaim)).toBe(false);
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    const svc = objects.find((o) => o.kind === 'Service')!;
    const selector = (svc.spec as { selector: Record<string, string> }).selector;
    const labels = (job.spec as { jobTemplate: { spec: { template: { metadata: { labels: Record<string, string> } } } } }).jobTemplate.spec.template.metadata.labels;
    expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(false);
    expect(spec.containers[0]!.args?.[0]).toBe('train');
  });
});

describe('consumer examples', () => {
  it('the example ScaledObject has an external trigger with the Prescale scalerMetadata keys', () => {
    const so = build(join(DEPLOY, 'examples', 'consumers', 'keda-scaledobject')).find((o) => o.kind === 'ScaledObject');
    const triggers = (so!.spec as { triggers: Array<{ type: string; metadata: Record<string, string> }> }).triggers;
    const external = triggers.find((t) => t.type === 'external')!;
    expect(Object.keys(external.metadata).sort()).toEqual(['activationValue', 'aggregate', 'horizon', 'quantile', 'scalerAddress', 'series', 'targetValue']);
  });

  it('the example triggers authenticate: mTLS to the scaler, a bearer token to metrics-api', () => {
    const objects = build(join(DEPLOY, 'examples', 'consumers', 'keda-scaledobject'));
    const so = objects.find((o) => o.kind === 'ScaledObject')!;
    const triggers = (so.spec as { triggers: Array<{ type: string; authenticationRef?: { name: string }; metadata: Record<string, string> }> }).triggers;
    const params = (name: string | undefined) =>
      (objects.find((o) => o.kind === 'TriggerAuthentication' && o.metadata.name === name)!.spec as { secretTargetRef: { parameter: string }[] }).secretTargetRef.map((r) => r.parameter).sort();
    expect(params(triggers.find((t) => t.type === 'external')!.authenticationRef?.name)).toEqual(['caCert', 'tlsClientCert', 'tlsClientKey']);
    const api = triggers.find((t) => t.type === 'metrics-api')!;
    expect(api.metadata['authMode']).toBe('bearer');
    expect(params(api.authenticationRef?.name)).toEqual(['token']);
  });

  it('the example HPA uses autoscaling/v2 External metrics with Value and AverageValue targets and passes its schema', async () => {
    const [hpa] = build(join(DEPLOY, 'examples', 'consumers', 'hpa'));
    expect(hpa!.apiVersion).toBe('autoscaling/v2');
    const metrics = (hpa!.spec as { metrics: Array<{ type: string; external: { target: { type: string } } }> }).metrics;
    expect(metrics.every((m) => m.type === 'External')).toBe(true);
    expect(metrics.map((m) => m.external.target.type).sort()).toEqual(['AverageValue', 'Value']);
    await validate(hpa!);
  });
});
