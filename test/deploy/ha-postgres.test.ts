/**
 * deploy/examples/ha-postgres, rendered by the real `kubectl kustomize` (the generic checks of
 * every combination are in kustomize.test.ts): what the PostgreSQL mode adds.
 */
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEPLOY, type K8sObject, build } from './kustomize-build';
import { parseShippedConfig } from './shipped-config';

interface Container {
  name: string;
  args?: string[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string }; persistentVolumeClaim?: { claimName: string } }[];
}
const podSpec = (o: K8sObject): PodSpec | undefined => {
  const spec = o.spec as { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } } | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec;
};

describe('examples/ha-postgres', () => {
  const objects = build(join(DEPLOY, 'examples', 'ha-postgres'));
  const find = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
  const configMap = find('ConfigMap').find((c) => c.metadata.name.startsWith('prescale-config'))!;
  const rawConfig = parseYaml(configMap.data!['config.yaml']!) as { storage?: { backend?: string; postgres?: { urlFile?: string } } };
  const config = parseShippedConfig(rawConfig);
  const server = find('Deployment').find((s) => s.metadata.name === 'prescale')!;
  const pod = podSpec(server)!;
  const container = pod.containers.find((c) => c.name === 'prescale')!;

  it('stores history and models in PostgreSQL, not in the pod, and the StatefulSet of the base is gone', () => {
    expect(rawConfig.storage?.backend).toBe('postgres');
    expect(find('StatefulSet')).toEqual([]);
  });

  it('2+ stateless replicas on different nodes, the URL from a mounted Secret, no claim, sharded training as an Indexed CronJob', () => {
    const spec = server.spec as {
      replicas: number;
      volumeClaimTemplates?: unknown;
      template: { metadata: { labels: Record<string, string> }; spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { labelSelector: { matchLabels: Record<string, string> }; topologyKey: string }[] } } } };
    };
    expect(server.kind).toBe('Deployment');
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    expect(spec.volumeClaimTemplates).toBeUndefined();
    expect(find('PersistentVolumeClaim')).toEqual([]);
    expect(pod.volumes!.some((v) => v.persistentVolumeClaim)).toBe(false);
    // Anti-affinity that selects the serving pods themselves, one per node.
    const [term] = spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(term!.topologyKey).toBe('kubernetes.io/hostname');
    expect(Object.entries(term!.labelSelector.matchLabels).every(([k, v]) => spec.template.metadata.labels[k] === v)).toBe(true);
    // The PDB leaves at least one replica serving.
    const pdb = find('PodDisruptionBudget')[0]!.spec as { maxUnavailable?: number; minAvailable?: number };
    expect(pdb.minAvailable ?? spec.replicas - pdb.maxUnavailable!).toBeGreaterThanOrEqual(1);
    // storage.postgres.urlFile lies in a mounted Secret, in the serving pods and in the training Job.
    const urlFile = rawConfig.storage!.postgres!.urlFile!;
    const secretAt = (p: PodSpec, c: Container): string | undefined => {
      const mount = c.volumeMounts?.find((m) => urlFile.startsWith(`${m.mountPath}/`));
      return p.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
    };
    expect(secretAt(pod, container)).toBe('prescale-postgres');
    const [cron] = find('CronJob');
    const job = (cron!.spec as { jobTemplate: { spec: { completionMode: string; completions: number; parallelism: number } } }).jobTemplate.spec;
    const jobPod = podSpec(cron!)!;
    expect(secretAt(jobPod, jobPod.containers[0]!)).toBe('prescale-postgres');
    // Pod i trains shard i of COUNT: COUNT in args is the Job's completions.
    expect(job.completionMode).toBe('Indexed');
    const args = jobPod.containers[0]!.args!;
    expect(args.slice(0, 1)).toEqual(['train']);
    expect(args[args.indexOf('--shard') + 1]).toBe(`/${job.completions}`);
    expect(job.parallelism).toBeLessThanOrEqual(job.completions);
    // The Job trains; the serving replicas do not also retrain on a schedule.
    expect(config.training.schedule).toBeUndefined();
  });


  it('registers the APIService on the Service that selects every serving replica', () => {
    const [apiService] = find('APIService');
    const svc = find('Service').find((s) => s.metadata.name === 'prescale')!;
    const labels = (server.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect((apiService!.spec as { service: object }).service).toEqual({ name: 'prescale', namespace: 'prescale', port: 443 });
    expect(Object.entries((svc.spec as { selector: Record<string, string> }).selector).every(([k, v]) => labels[k] === v)).toBe(true);
  });
});
