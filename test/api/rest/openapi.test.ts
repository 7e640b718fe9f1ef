/**
 * The REST API against its OpenAPI 3.1 document, over real HTTP from a running service (SQLite,
 * worker-thread forecasts) in advisory mode. The actuator reads its targets from
 * `FakeKubeApiServer`, the in-test Kubernetes API server that follows the API's rules (no
 * kube-apiserver can run here), so decisions and advisory samples are real records.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { registeredRoutes } from '../../../api/http/route-table';
import openApiDocument from '../../../api/rest/openapi.json';
import { configJsonSchema } from '../../../src/config/config-json-schema';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { writeKubeconfig } from '../../helpers/kubeconfig';
import { recentSamples, startService, tempDir, waitFor } from '../../helpers/test-server';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const doc = openApiDocument as unknown as Doc;
const NS = 'prod';

/**
 * Every push in this file is a steady 8 requests/s, which needs 2 replicas at 5 per replica:
 * the launch floor (4) binds at any time of day (the demo's daily rhythm needs up to 35
 * replicas, and at 05:15 UTC it tied the floor, so the explanation named the forecast).
 */
const steadyLoad = (count: number): { t: string; v: number }[] => recentSamples(count).map((s) => ({ ...s, v: 8 }));

let kube: FakeKubeApiServer;
let dir: ReturnType<typeof tempDir>;
let service: Awaited<ReturnType<typeof startService>>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openApiDocument, 'openapi');

/** `/v1/plans/:pool` → `/v1/plans/{pool}`. */
const openApiPath = (express: string): string => express.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const PARAMS: Record<string, string> = { name: 'api-rps', series: 'api-rps', pool: 'gpu-api' };
const concrete = (path: string): string => path.replace(/\{([^}]+)\}/g, (_m, p: string) => PARAMS[p] ?? p);

/** The documented schema of a reply: by exact status, else `4XX`/`5XX`, for its content type. */
function schemaFor(path: string, method: string, status: number, contentType: string): ValidateFunction {
  const responses = doc.paths[path]![method]!.responses;
  const code = String(status) in responses ? String(status) : `${String(status)[0]}XX`;
  expect(Object.keys(responses)).toContain(code);
  const pointerPath = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const resolved = (responses[code] as { $ref?: string }).$ref;
  const base = resolved ? resolved.slice(1) : `/paths/${pointerPath(path)}/${method}/responses/${code}`;
  const validate = ajv.getSchema(`openapi#${base}/content/${pointerPath(contentType)}/schema`);
  if (!validate) throw new Error(`${method.toUpperCase()} ${path} ${code} documents no ${contentType} body`);
  return validate;
}

async function expectDocumented(path: string, method: string, res: Response): Promise<void> {
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const validate = schemaFor(path, method, res.status, contentType);
  const text = await res.text();
  const body: unknown = contentType.includes('json') ? JSON.parse(text) : text;
  validate(body);
  expect({ path, method, status: res.status, errors: validate.errors ?? [] }).toEqual({ path, method, status: res.status, errors: [] });
}

beforeAll(async () => {
  kube = await new FakeKubeApiServer().start();
  dir = tempDir('openapi');
  kube.seed({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: NS }, spec: { minReplicas: 1, maxReplicas: 20 }, status: { currentReplicas: 2 } });
  const now = Date.now();
  service = await startService(dir.path, {
    pools: [{ name: 'gpu-api', series: 'api-rps', capacityPerReplica: 5, leadTime: '2m', maxReplicas: 20 }],
    events: [{ name: 'launch', start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 3_600_000).toISOString(), floor: { 'gpu-api': 4 } }],
    quotas: { maxGpus: 30 },
    actuator: { mode: 'advisory', namespace: NS, interval: '1s', kubeconfig: writeKubeconfig(kube, dir.path, NS), targets: [{ pool: 'gpu-api', kind: 'HorizontalPodAutoscaler', name: 'api' }] },
  });
  const push = await fetch(`${service.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(steadyLoad(180)) });
  expect(push.status).toBe(200);
  await waitFor(async () => ((await fetch(`${service.url}/v1/forecasts/api-rps`)).status === 200 ? true : undefined), 30_000, 'the first forecast');
  await waitFor(
    async () => {
      const r = (await (await fetch(`${service.url}/v1/pools/gpu-api/advisory?since=1h`)).json()) as { samples: number; measuredMinutes: number };
      // Rounds run every second, but the first ones can come close together: wait for seconds of measured time, not a count.
      return r.samples >= 2 && r.measuredMinutes >= 0.1 ? true : undefined;
    },
    60_000,
    'six seconds of advisory rounds',
  );
}, 90_000);

afterAll(async () => {
  await service?.stop();
  await kube?.close();
  dir?.remove();
});

describe('the OpenAPI document', () => {
  it('is served at /openapi.json as the committed file, version 3.1', async () => {
    const res = await fetch(`${service.url}/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { openapi: string };
    expect(served).toEqual(openApiDocument);
    expect(served.openapi).toMatch(/^3\.1\./);
  });

  it('documents every registered route (path and method), and documents no route that does not exist', () => {
    const registered = registeredRoutes(service.app.http).flatMap((r) => r.methods.map((m) => `${m} ${openApiPath(r.path)}`));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
  });

  it('validates the real replies of every GET route against the documented schemas', async () => {
    const gets = Object.entries(doc.paths).filter(([, ops]) => 'get' in ops);
    expect(gets.length).toBeGreaterThan(15);
    for (const [path] of gets) {
      const res = await fetch(`${service.url}${concrete(path)}`);
      expect({ path, status: res.status }).toEqual({ path, status: res.status < 400 ? res.status : 200 });
      await expectDocumented(path, 'get', res);
    }
  });

  it('validates problem replies and the POST replies that change nothing durable', async () => {
    const bad = await fetch(`${service.url}/v1/decisions?limit=0`);
    expect(bad.status).toBe(400);
    await expectDocumented('/v1/decisions', 'get', bad);
    const promote = await fetch(`${service.url}/v1/models/api-rps/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(promote.status).toBe(400);
    await expectDocumented('/v1/models/{series}/promote', 'post', promote);
    const push = await fetch(`${service.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(steadyLoad(2)) });
    await expectDocumented('/v1/series/{name}/samples', 'post', push);
    const batch = await fetch(`${service.url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ series: [{ name: 'api-rps', samples: steadyLoad(2) }] }) });
    expect(batch.status).toBe(200);
    await expectDocumented('/v1/samples', 'post', batch);
    const unknown = await fetch(`${service.url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ series: [{ name: 'nope', samples: [] }] }) });
    expect(unknown.status).toBe(404);
    await expectDocumented('/v1/samples', 'post', unknown);
  });
});

describe('a wrong method on a REST path', () => {
  it('is 405 with Allow and a problem+json body naming the method, on every registered path', async () => {
    for (const route of registeredRoutes(service.app.http)) {
      const url = `${service.url}${concrete(openApiPath(route.path))}`;
      const res = await fetch(url, { method: 'DELETE' });
      expect({ path: route.path, status: res.status }).toEqual({ path: route.path, status: 405 });
      const allow = (res.headers.get('allow') ?? '').split(', ');
      expect(allow).toEqual(expect.arrayContaining([...route.methods, 'OPTIONS']));
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', field: 'method' });
    }
  });

  it('leaves an unknown path 404 and answers OPTIONS with Allow', async () => {
    expect((await fetch(`${service.url}/v1/nothing-here`, { method: 'DELETE' })).status).toBe(404);
    // Express's router answers OPTIONS itself (200 with Allow) before the 405 handler.
    const options = await fetch(`${service.url}/v1/series/api-rps/samples`, { method: 'OPTIONS' });
    expect(options.status).toBeLessThan(300);
    expect((options.headers.get('allow') ?? '').split(', ')).toEqual(expect.arrayContaining(['GET', 'POST']));
  });
});

describe('advisory mode over HTTP', () => {
  it('reports as it ran vs with Prescale from the rounds recorded against the Kubernetes API, and pages decisions', async () => {
    const report = (await (await fetch(`${service.url}/v1/pools/gpu-api/advisory?since=1h`)).json()) as Record<string, Record<string, number>>;
    // The HPA ran status.currentReplicas 2; the launch floor asks 4 (Prescale raises the HPA's floor to it).
    expect(report['asRan']!['replicaHours']).toBeGreaterThan(0);
    expect(report['withPrescale']!['replicaHours']).toBeGreaterThan(report['asRan']!['replicaHours']!);
    expect(kube.get('HorizontalPodAutoscaler', NS, 'api')!['spec']).toMatchObject({ minReplicas: 1 });
    const page = (await (await fetch(`${service.url}/v1/decisions?pool=gpu-api&limit=1`)).json()) as { decisions: { id: string; outcome: string; to: number }[] };
    expect(page.decisions[0]).toMatchObject({ outcome: 'advisory', to: 4 });
    const unknown = await fetch(`${service.url}/v1/pools/nope/advisory`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'pool' });
    const since = await fetch(`${service.url}/v1/pools/gpu-api/advisory?since=yesterday`);
    expect(since.status).toBe(400);
    expect(await since.json()).toMatchObject({ field: 'since' });
  });

  it('explains the pool now in sentences naming the event, and refuses a time before any record, naming `at`', async () => {
    const now = (await (await fetch(`${service.url}/v1/plans/gpu-api/explain`)).json()) as { text: string; source: string };
    expect(now.source).toBe('plan');
    expect(now.text).toMatch(/goes to 4 replicas|stays at 4 replicas/);
    expect(now.text).toMatch(/event `launch` is open/);
    expect(now.text).toMatch(/GPU quota \(30\) was not binding/);
    const page = (await (await fetch(`${service.url}/v1/decisions?pool=gpu-api`)).json()) as { decisions: { id: string; time: string }[] };
    const first = page.decisions[page.decisions.length - 1]!;
    // Before the current plan, an explanation comes from a stored decision; before the first one there is none.
    const earlier = await fetch(`${service.url}/v1/plans/gpu-api/explain?at=${encodeURIComponent(new Date(Date.parse(first.time) - 120_000).toISOString())}`);
    expect(earlier.status).toBe(400);
    expect(await earlier.json()).toMatchObject({ field: 'at' });
    const text = await fetch(`${service.url}/v1/plans/gpu-api/explain`, { headers: { accept: 'text/plain' } });
    expect(await text.text()).toMatch(/^At \d\d:\d\d UTC the pool gpu-api/);
  });

  it('serves the config JSON Schema at /v1/config/schema', async () => {
    const res = await fetch(`${service.url}/v1/config/schema`);
    expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(await res.json()).toEqual(configJsonSchema());
  });
});
