import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { type ActuatorEvent, type GpuQuota, type KubeApi, KubeApiError, type LeaseRecord, type TargetRef, type TargetState } from './kube-api';

type K8s = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

const GPU = 'requests.nvidia.com/gpu';
const KEDA = { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' } as const;

/**
 * `KubeApi` over `@kubernetes/client-node` (1.x, ESM-only, so it is loaded with a dynamic
 * `import()` that the CommonJS build keeps as-is). Writes are JSON merge patches
 * (`application/merge-patch+json`, the one patch type both built-in kinds and the KEDA CRD
 * accept) that carry `metadata.resourceVersion`, so a concurrent change gives 409 Conflict
 * instead of being overwritten.
 */
export class ClientNodeKubeApi implements KubeApi {
  private constructor(
    private readonly lib: K8s,
    private readonly apis: {
      core: k8s.CoreV1Api;
      apps: k8s.AppsV1Api;
      autoscaling: k8s.AutoscalingV2Api;
      custom: k8s.CustomObjectsApi;
      coordination: k8s.CoordinationV1Api;
    },
  ) {}

  /** Loads a kubeconfig file, or the default (in-cluster service account, then `~/.kube/config`). */
  static async create(options: { kubeconfig?: string | undefined } = {}): Promise<ClientNodeKubeApi> {
    const lib: K8s = await import('@kubernetes/client-node');
    const kc = new lib.KubeConfig();
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
    return new ClientNodeKubeApi(lib, {
      core: kc.makeApiClient(lib.CoreV1Api),
      apps: kc.makeApiClient(lib.AppsV1Api),
      autoscaling: kc.makeApiClient(lib.AutoscalingV2Api),
      custom: kc.makeApiClient(lib.CustomObjectsApi),
      coordination: kc.makeApiClient(lib.CoordinationV1Api),
    });
  }

  async readLease(namespace: string, name: string): Promise<LeaseRecord | null> {
    try {
      return fromLease(await this.apis.coordination.readNamespacedLease({ name, namespace }));
    } catch (err) {
      const e = toKubeError(err);
      if (e.status === 404) return null;
      throw e;
    }
  }

  async createLease(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord> {
    return call(async () => fromLease(await this.apis.coordination.createNamespacedLease({ namespace, body: this.toLease(namespace, name, lease) })));
  }

  async replaceLease(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord> {
    return call(async () => fromLease(await this.apis.coordination.replaceNamespacedLease({ name, namespace, body: this.toLease(namespace, name, lease) })));
  }

  async readTarget(ref: TargetRef): Promise<TargetState> {
    return call(async () => {
      const { name, namespace } = ref;
      if (ref.kind === 'Deployment') return fromDeployment(await this.apis.apps.readNamespacedDeployment({ name, namespace }));
      if (ref.kind === 'HorizontalPodAutoscaler') return fromHpa(await this.apis.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }));
      return fromScaledObject(await this.apis.custom.getNamespacedCustomObject({ ...KEDA, name, namespace }));
    });
  }

  async writeTarget(ref: TargetRef, value: number, resourceVersion: string): Promise<TargetState> {
    const options = this.lib.setHeaderOptions('Content-Type', this.lib.PatchStrategy.MergePatch);
    const metadata = { resourceVersion };
    return call(async () => {
      const { name, namespace } = ref;
      if (ref.kind === 'Deployment') {
        return fromDeployment(await this.apis.apps.patchNamespacedDeployment({ name, namespace, body: { metadata, spec: { replicas: value } } }, options));
      }
      if (ref.kind === 'HorizontalPodAutoscaler') {
        return fromHpa(await this.apis.autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body: { metadata, spec: { minReplicas: value } } }, options));
      }
      return fromScaledObject(await this.apis.custom.patchNamespacedCustomObject({ ...KEDA, name, namespace, body: { metadata, spec: { minReplicaCount: value } } }, options));
    });
  }

  async createEvent(event: ActuatorEvent): Promise<void> {
    const { target } = event;
    const at = new Date(event.timeMs);
    await call(() =>
      this.apis.core.createNamespacedEvent({
        namespace: target.namespace,
        body: {
          metadata: {
            generateName: `${target.name}.prescale-`,
            namespace: target.namespace,
            ...(event.decisionId ? { annotations: { 'prescale.dev/decision': event.decisionId } } : {}),
          },
          involvedObject: { apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace: target.namespace, ...(target.uid ? { uid: target.uid } : {}) },
          reason: event.reason,
          message: event.message,
          type: 'Normal',
          source: { component: 'prescale' },
          reportingComponent: 'prescale',
          reportingInstance: event.reportingInstance,
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
        },
      }),
    );
  }

  async gpuQuota(namespace: string): Promise<GpuQuota | null> {
    const list = await call(() => this.apis.core.listNamespacedResourceQuota({ namespace }));
    let tightest: GpuQuota | null = null;
    for (const q of list.items) {
      const hard = quantity(q.status?.hard?.[GPU] ?? q.spec?.hard?.[GPU]);
      if (hard === null) continue;
      const used = quantity(q.status?.used?.[GPU]) ?? 0;
      if (tightest === null || hard - used < tightest.hard - tightest.used) tightest = { hard, used };
    }
    return tightest;
  }

  private toLease(namespace: string, name: string, l: LeaseRecord): k8s.V1Lease {
    const micro = (ms: number | null): k8s.V1MicroTime | undefined => (ms === null ? undefined : new this.lib.V1MicroTime(ms));
    const acquireTime = micro(l.acquireTimeMs);
    const renewTime = micro(l.renewTimeMs);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace, ...(l.resourceVersion !== undefined ? { resourceVersion: l.resourceVersion } : {}) },
      spec: {
        ...(l.holderIdentity !== null ? { holderIdentity: l.holderIdentity } : {}),
        leaseDurationSeconds: l.leaseDurationSeconds,
        ...(acquireTime ? { acquireTime } : {}),
        ...(renewTime ? { renewTime } : {}),
        leaseTransitions: l.leaseTransitions,
      },
    };
  }
}

function fromLease(l: k8s.V1Lease): LeaseRecord {
  const ms = (d: Date | undefined): number | null => (d === undefined ? null : new Date(d).getTime());
  return {
    holderIdentity: l.spec?.holderIdentity ?? null,
    leaseDurationSeconds: l.spec?.leaseDurationSeconds ?? 0,
    acquireTimeMs: ms(l.spec?.acquireTime),
    renewTimeMs: ms(l.spec?.renewTime),
    leaseTransitions: l.spec?.leaseTransitions ?? 0,
    ...(l.metadata?.resourceVersion !== undefined ? { resourceVersion: l.metadata.resourceVersion } : {}),
  };
}

const meta = (m: { resourceVersion?: string; uid?: string } | undefined): Pick<TargetState, 'resourceVersion' | 'uid'> => ({
  resourceVersion: m?.resourceVersion ?? '',
  uid: m?.uid ?? null,
});

function fromDeployment(d: k8s.V1Deployment): TargetState {
  return { value: d.spec?.replicas ?? 1, observedReplicas: d.status?.replicas ?? null, max: null, apiVersion: 'apps/v1', ...meta(d.metadata) };
}

function fromHpa(h: k8s.V2HorizontalPodAutoscaler): TargetState {
  return { value: h.spec?.minReplicas ?? 1, observedReplicas: h.status?.currentReplicas ?? null, max: h.spec?.maxReplicas ?? null, apiVersion: 'autoscaling/v2', ...meta(h.metadata) };
}

function fromScaledObject(raw: unknown): TargetState {
  const o = raw as { metadata?: { resourceVersion?: string; uid?: string }; spec?: { minReplicaCount?: number; maxReplicaCount?: number } };
  // KEDA defaults: minReplicaCount 0, maxReplicaCount 100.
  return { value: o.spec?.minReplicaCount ?? 0, observedReplicas: null, max: o.spec?.maxReplicaCount ?? 100, apiVersion: `${KEDA.group}/${KEDA.version}`, ...meta(o.metadata) };
}

/** A plain-number Quantity (`8`, `16`); GPU counts carry no suffix. null when absent or not plain. */
function quantity(q: string | undefined): number | null {
  if (q === undefined) return null;
  const n = Number(q);
  return Number.isFinite(n) ? n : null;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toKubeError(err);
  }
}

function toKubeError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string };
  if (typeof e.code === 'number') {
    let reason: string | undefined;
    let message = e.message ?? `HTTP ${e.code}`;
    try {
      const status = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as { reason?: string; message?: string } | undefined;
      reason = status?.reason;
      if (status?.message) message = status.message;
    } catch {
      // a non-JSON body: keep the client's message
    }
    return new KubeApiError(e.code, message, reason);
  }
  return new KubeApiError(0, e.message ?? String(err));
}
