import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeTokens, TOKEN_REVIEW_PATH, answerTokenReview } from './fake-token-review';

/**
 * An in-test Kubernetes API server over real HTTP. No kube-apiserver can run in this
 * environment, so this server follows the real API's rules for the calls Prescale makes:
 * REST paths per group/version/namespace/resource; `Status` objects on errors; create →
 * 201, 409 AlreadyExists; update (PUT) requires `metadata.resourceVersion` and answers 409
 * Conflict when it is stale; PATCH accepts only the patch content types
 * (json-patch, merge-patch, strategic-merge-patch — not on custom resources — apply-patch),
 * anything else → 415; a merge patch carrying a stale `metadata.resourceVersion` → 409;
 * every write bumps resourceVersion; Lease times are MicroTime (6 fractional digits) and
 * `leaseDurationSeconds` > 0; HPA `minReplicas` within [1, maxReplicas] (422 otherwise);
 * Events must name an involvedObject in their own namespace.
 *
 * TokenReview (`POST /apis/authentication.k8s.io/v1/tokenreviews`) follows the real API's
 * rules too (see `answerTokenReview`); register tokens with `tokens.addServiceAccountToken`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  status: number;
}

interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  custom: boolean;
}

const RESOURCES: Resource[] = [
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', custom: false },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', custom: false },
  { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', custom: false },
  { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects', kind: 'ScaledObject', custom: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', custom: false },
  { group: '', version: 'v1', plural: 'resourcequotas', kind: 'ResourceQuota', custom: false },
];

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

export class FakeKubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, Obj>();
  private server: Server | null = null;
  private rv = 1000;
  private failures: { match: RegExp; status: number; left: number }[] = [];
  /** Runs once before the next write to a path matching `match` (simulates a concurrent writer). */
  private beforeWrite: { match: RegExp; fn: () => void }[] = [];

  url = '';
  /** Tokens the API server accepts: `tokens.addServiceAccountToken(…)`, `tokens.revoke(…)`. */
  readonly tokens = new FakeTokens();

  /** How many TokenReviews were answered (to see caching). */
  tokenReviews(): number {
    return this.requests.filter((r) => r.path === TOKEN_REVIEW_PATH && r.status === 201).length;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Stores an object as if created by someone else (kind/apiVersion decide where). */
  seed(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } & Record<string, unknown>): Obj {
    const r = RESOURCES.find((x) => x.kind === obj.kind && apiVersion(x) === obj.apiVersion)!;
    const stored = this.stamp(structuredClone(obj) as unknown as Obj);
    stored.metadata['uid'] ??= randomUUID();
    stored.metadata['creationTimestamp'] ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.objects.set(key(r, obj.metadata.namespace, obj.metadata.name), stored);
    return stored;
  }

  get(kind: string, namespace: string, name: string): Obj | undefined {
    const r = RESOURCES.find((x) => x.kind === kind)!;
    return this.objects.get(key(r, namespace, name));
  }

  list(kind: string, namespace: string): Obj[] {
    const r = RESOURCES.find((x) => x.kind === kind)!;
    const prefix = key(r, namespace, '');
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  }

  /** Changes a stored object like a concurrent writer would (new resourceVersion). */
  mutate(kind: string, namespace: string, name: string, fn: (o: Obj) => void): void {
    const o = this.get(kind, namespace, name)!;
    fn(o);
    this.stamp(o);
  }

  /** The next `times` requests whose path matches answer `status` (e.g. 503) with a Status body. */
  failNext(match: RegExp, status: number, times: number): void {
    this.failures.push({ match, status, left: times });
  }

  onNextWrite(match: RegExp, fn: () => void): void {
    this.beforeWrite.push({ match, fn });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type']?.split(';')[0]?.trim();
    const body = await readBody(req);
    const reply = (status: number, payload: unknown): void => {
      this.requests.push({ method, path, contentType, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const fail = this.failures.find((f) => f.left > 0 && f.match.test(path));
    if (fail) {
      fail.left--;
      return reply(fail.status, status(fail.status, fail.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'injected failure'));
    }
    if (path === TOKEN_REVIEW_PATH) return answerTokenReview(this.tokens, { authorization: req.headers.authorization, method, contentType, body }, reply);
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    const r = m ? RESOURCES.find((x) => (m[1] ? x.group === '' && x.version === m[1] : x.group === m[2] && x.version === m[3]) && x.plural === m[5]) : undefined;
    if (!m || !r) return reply(404, status(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`));
    const namespace = m[4] as string;
    const name = m[6];
    const k = key(r, namespace, name ?? '');
    const existing = name ? this.objects.get(k) : undefined;
    const notFound = (): void => reply(404, status(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" not found`));
    let parsed: unknown;
    if (body.length > 0 && contentType !== 'application/apply-patch+yaml') {
      try {
        parsed = JSON.parse(body);
      } catch {
        return reply(400, status(400, 'BadRequest', 'the request body is not valid JSON'));
      }
    }

    if (method === 'GET' && name) return existing ? reply(200, existing) : notFound();
    if (method === 'GET' && !name) return reply(200, { apiVersion: apiVersion(r), kind: `${r.kind}List`, metadata: { resourceVersion: String(this.rv) }, items: this.list(r.kind, namespace) });

    if (method === 'POST' && !name) {
      if (contentType !== 'application/json') return reply(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`));
      const obj = parsed as Obj;
      const meta = (obj.metadata ?? {}) as Record<string, unknown>;
      const objName = (meta['name'] as string | undefined) ?? (meta['generateName'] ? `${String(meta['generateName'])}${randomUUID().slice(0, 5)}` : undefined);
      if (!objName) return reply(422, status(422, 'Invalid', 'metadata.name: Required value: name or generateName is required'));
      if (meta['namespace'] !== undefined && meta['namespace'] !== namespace) return reply(400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
      const invalid = this.validate(r, obj, namespace);
      if (invalid) return reply(422, status(422, 'Invalid', invalid));
      const newKey = key(r, namespace, objName);
      if (this.objects.has(newKey)) return reply(409, status(409, 'AlreadyExists', `${r.plural}.${r.group} "${objName}" already exists`));
      this.runBeforeWrite(path);
      if (this.objects.has(newKey)) return reply(409, status(409, 'AlreadyExists', `${r.plural}.${r.group} "${objName}" already exists`));
      const stored = this.stamp({ ...obj, apiVersion: apiVersion(r), kind: r.kind, metadata: { ...meta, name: objName, namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
      this.objects.set(newKey, stored);
      return reply(201, stored);
    }

    if (method === 'PUT' && name) {
      if (!existing) return notFound();
      const obj = parsed as Obj;
      const rv = obj.metadata?.['resourceVersion'];
      if (rv === undefined || rv === '') return reply(422, status(422, 'Invalid', `${r.kind} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`));
      if (obj.metadata['name'] !== name) return reply(400, status(400, 'BadRequest', 'the name of the object does not match the name on the URL'));
      this.runBeforeWrite(path);
      const current = this.objects.get(k)!;
      if (rv !== current.metadata['resourceVersion']) return reply(409, conflict(r, name));
      const invalid = this.validate(r, obj, namespace);
      if (invalid) return reply(422, status(422, 'Invalid', invalid));
      const stored = this.stamp({ ...obj, apiVersion: apiVersion(r), kind: r.kind, metadata: { ...obj.metadata, uid: current.metadata['uid'], creationTimestamp: current.metadata['creationTimestamp'] } });
      this.objects.set(k, stored);
      return reply(200, stored);
    }

    if (method === 'PATCH' && name) {
      if (!contentType || !PATCH_TYPES.includes(contentType)) {
        return reply(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`));
      }
      if (contentType === 'application/strategic-merge-patch+json' && r.custom) {
        return reply(415, status(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources; use application/merge-patch+json'));
      }
      if (contentType !== 'application/merge-patch+json') return reply(415, status(415, 'UnsupportedMediaType', 'this in-test server implements only application/merge-patch+json'));
      if (!existing) return notFound();
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reply(400, status(400, 'BadRequest', 'a merge patch must be a JSON object'));
      this.runBeforeWrite(path);
      const current = this.objects.get(k)!;
      const patchRv = (parsed as Obj).metadata?.['resourceVersion'];
      if (patchRv !== undefined && patchRv !== current.metadata['resourceVersion']) return reply(409, conflict(r, name));
      const merged = mergePatch(structuredClone(current), parsed) as Obj;
      const invalid = this.validate(r, merged, namespace);
      if (invalid) return reply(422, status(422, 'Invalid', invalid));
      const stored = this.stamp(merged);
      this.objects.set(k, stored);
      return reply(200, stored);
    }
    return reply(405, status(405, 'MethodNotAllowed', `${method} is not supported on ${path}`));
  }

  private runBeforeWrite(path: string): void {
    const i = this.beforeWrite.findIndex((b) => b.match.test(path));
    if (i >= 0) this.beforeWrite.splice(i, 1)[0]!.fn();
  }

  private stamp(o: Obj): Obj {
    o.metadata['resourceVersion'] = String(++this.rv);
    return o;
  }

  /** The validation rules of the fields Prescale writes. */
  private validate(r: Resource, o: Obj, namespace: string): string | null {
    const spec = (o['spec'] ?? {}) as Record<string, unknown>;
    if (r.kind === 'Lease') {
      for (const f of ['acquireTime', 'renewTime']) {
        if (spec[f] !== undefined && !MICRO_TIME.test(String(spec[f]))) return `spec.${f}: Invalid value: "${String(spec[f])}": must be a MicroTime (RFC 3339 with 6 fractional digits)`;
      }
      const d = spec['leaseDurationSeconds'];
      if (d !== undefined && !(Number.isInteger(d) && (d as number) > 0)) return 'spec.leaseDurationSeconds: Invalid value: must be greater than 0';
    }
    if (r.kind === 'Deployment' && !(Number.isInteger(spec['replicas']) && (spec['replicas'] as number) >= 0)) return 'spec.replicas: Invalid value: must be greater than or equal to 0';
    if (r.kind === 'HorizontalPodAutoscaler') {
      const min = spec['minReplicas'] as number;
      if (!(Number.isInteger(min) && min >= 1)) return 'spec.minReplicas: Invalid value: must be greater than or equal to 1';
      if (min > (spec['maxReplicas'] as number)) return 'spec.maxReplicas: Invalid value: must be greater than or equal to `minReplicas`';
    }
    if (r.kind === 'ScaledObject') {
      const min = spec['minReplicaCount'] as number;
      if (min > ((spec['maxReplicaCount'] as number | undefined) ?? 100)) return 'admission webhook "vscaledobject.kb.io" denied the request: MinReplicaCount=' + min + ' must be less than MaxReplicaCount';
    }
    if (r.kind === 'Event') {
      const inv = (o['involvedObject'] ?? {}) as Record<string, unknown>;
      if (inv['namespace'] !== namespace) return 'involvedObject.namespace: Invalid value: does not match event.namespace';
      if (!o['reason'] || !inv['kind'] || !inv['name']) return 'reason and involvedObject.{kind,name} are required';
      for (const f of ['firstTimestamp', 'lastTimestamp']) if (o[f] !== undefined && !RFC3339.test(String(o[f]))) return `${f}: must be RFC 3339`;
    }
    return null;
  }
}

function apiVersion(r: Resource): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

function key(r: Resource, namespace: string, name: string): string {
  return `${apiVersion(r)}/${r.plural}/${namespace}/${name}`;
}

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function conflict(r: Resource, name: string): unknown {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${r.plural}${r.group ? `.${r.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out = (typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
