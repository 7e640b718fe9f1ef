/**
 * The training CronJob component, rendered by the real `kubectl kustomize` (client-side, no
 * cluster) on its own and composed with each mode, as a user's overlay does. Schema
 * validation of every object is in kustomize.test.ts, which picks this folder up too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Cron } from 'croner';
import { parseAllDocuments } from 'yaml';
import { isValidTimezone } from '../../models/core/calendar';

interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
}
interface PodSpec {
  restartPolicy?: string;
  containers: { name: string; args: string[]; env?: { name: string; value: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
  volumes: Volume[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    schedule?: string;
    timeZone?: string;
    concurrencyPolicy?: string;
    accessModes?: string[];
    template?: { spec: PodSpec };
    jobTemplate?: { spec: { template: { spec: PodSpec } } };
  };
}

const DEPLOY = join(__dirname, '..', '..', 'deploy');
const render = (dir: string): Manifest[] => parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 })).map((d) => d.toJS() as Manifest);

/** A user's overlay in a temp folder: a mode plus this component (kustomize wants relative paths). */
function renderWithMode(mode: string): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-overlay-'));
  try {
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ${relative(dir, join(DEPLOY, mode))}\ncomponents:\n  - ${relative(dir, join(DEPLOY, 'training-cronjob'))}\n`);
    return render(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/training-cronjob', () => {
  const alone = render(join(DEPLOY, 'training-cronjob'));
  const cronJob = alone.find((m) => m.kind === 'CronJob')!;
  const pod = cronJob.spec.jobTemplate!.spec.template.spec;

  it('adds a batch/v1 CronJob and the models claim in the prescale namespace', () => {
    expect(alone.map((m) => `${m.apiVersion}/${m.kind}/${m.metadata.name}`).sort()).toEqual(['batch/v1/CronJob/prescale-train', 'v1/PersistentVolumeClaim/prescale-models']);
    expect(new Set(alone.map((m) => m.metadata.namespace))).toEqual(new Set(['prescale']));
    expect(alone.find((m) => m.kind === 'PersistentVolumeClaim')!.spec.accessModes).toContain('ReadWriteMany');
  });

  it('runs `prescale train` on a valid cron schedule in a valid timezone, never overlapping', () => {
    expect(() => new Cron(cronJob.spec.schedule!, { paused: true, timezone: cronJob.spec.timeZone! })).not.toThrow();
    expect(isValidTimezone(cronJob.spec.timeZone!)).toBe(true);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.containers[0]!.args[0]).toBe('train');
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
  });

  it.each(['no-keda', 'keda'])('composed with the %s mode: the job and the server share the models claim and the config', (mode) => {
    const objects = renderWithMode(mode);
    const job = objects.find((m) => m.kind === 'CronJob')!.spec.jobTemplate!.spec.template.spec;
    const server = objects.find((m) => m.kind === 'Deployment' && m.metadata.name === 'prescale')!.spec.template!.spec;
    const configMaps = new Set(objects.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.name));
    const mountOf = (spec: PodSpec, container: string, pick: (v: Volume) => boolean): string | undefined => {
      const volume = spec.volumes.find(pick);
      return spec.containers.find((c) => c.name === container)!.volumeMounts.find((m) => m.name === volume?.name)?.mountPath;
    };
    const isModels = (v: Volume): boolean => v.persistentVolumeClaim?.claimName === 'prescale-models';
    const dataDir = job.containers[0]!.env!.find((e) => e.name === 'PRESCALE_DATA_DIR')!.value;
    expect(mountOf(job, 'train', isModels)).toBe(`${dataDir}/models`);
    expect(mountOf(server, 'prescale', isModels)).toBe(`${dataDir}/models`);
    // The ConfigMap name follows the generated (hash-suffixed) one of the mode.
    const jobConfig = job.volumes.find((v) => v.configMap)!.configMap!.name;
    expect(configMaps.has(jobConfig)).toBe(true);
    expect(jobConfig).toBe(server.volumes.find((v) => v.configMap)!.configMap!.name);
    for (const spec of [job, server]) for (const c of spec.containers) for (const m of c.volumeMounts) expect(spec.volumes.map((v) => v.name)).toContain(m.name);
  });
});
