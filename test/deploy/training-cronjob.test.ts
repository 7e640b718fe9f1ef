/**
 * The training CronJob manifests, rendered by the real `kubectl kustomize` (client-side,
 * no cluster) and checked for the facts the cluster relies on.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Cron } from 'croner';
import { parseAllDocuments } from 'yaml';
import { isValidTimezone } from '../../models/core/calendar';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

const rendered = execFileSync('kubectl', ['kustomize', join(__dirname, '..', '..', 'deploy', 'training-cronjob')], { encoding: 'utf8' });
const manifests = parseAllDocuments(rendered).map((d) => d.toJS() as Manifest);
const cronJob = manifests.find((m) => m.kind === 'CronJob') as Manifest & {
  spec: {
    schedule: string;
    timeZone: string;
    concurrencyPolicy: string;
    jobTemplate: { spec: { template: { spec: { restartPolicy: string; containers: { args: string[]; volumeMounts: { name: string; mountPath: string }[]; env: { name: string; value: string }[] }[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }[] } } } };
  };
};
const pod = cronJob.spec.jobTemplate.spec.template.spec;

describe('deploy/training-cronjob', () => {
  it('renders a batch/v1 CronJob and its models claim, all in one namespace', () => {
    expect(manifests.map((m) => `${m.apiVersion}/${m.kind}/${m.metadata.name}`).sort()).toEqual(['batch/v1/CronJob/prescale-train', 'v1/PersistentVolumeClaim/prescale-models']);
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['prescale']));
  });

  it('runs `prescale train` on a valid cron schedule in a valid timezone, never overlapping', () => {
    expect(() => new Cron(cronJob.spec.schedule, { paused: true, timezone: cronJob.spec.timeZone })).not.toThrow();
    expect(isValidTimezone(cronJob.spec.timeZone)).toBe(true);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.containers[0]!.args.slice(0, 1)).toEqual(['train']);
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
  });

  it('mounts the shared models volume at the data dir, and every mount has a volume', () => {
    const c = pod.containers[0]!;
    const volumes = new Map(pod.volumes.map((v) => [v.name, v]));
    for (const m of c.volumeMounts) expect(volumes.has(m.name)).toBe(true);
    const models = c.volumeMounts.find((m) => volumes.get(m.name)?.persistentVolumeClaim?.claimName === 'prescale-models');
    expect(models?.mountPath).toBe(c.env.find((e) => e.name === 'PRESCALE_DATA_DIR')?.value);
    const claim = manifests.find((m) => m.kind === 'PersistentVolumeClaim')!;
    expect((claim.spec['accessModes'] as string[])).toContain('ReadWriteMany');
  });
});
