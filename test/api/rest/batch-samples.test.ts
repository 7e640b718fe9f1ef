import type { RunningService } from '../../../main/serve';
import { recentSamples, startService, tempDir, waitFor } from '../../helpers/test-server';

/** `POST /v1/samples`: many series in one request over a real socket; a bad part rejects the whole request and stores nothing. */
let dir: ReturnType<typeof tempDir>;
let svc: RunningService & { url: string };

const SERIES = [
  { name: 'embed-rps', step: '1m', kind: 'rate', horizon: '30m' },
  { name: 'generate-rps', step: '1m', kind: 'rate', horizon: '30m' },
];

beforeAll(async () => {
  dir = tempDir('api-batch');
  svc = await startService(dir.path, { series: SERIES, server: { host: '127.0.0.1', port: 0, maxSamplesPerRequest: 100, shutdownGrace: 2 } });
});
afterAll(async () => {
  await svc.stop();
  dir.remove();
});

const push = (body: unknown, contentType = 'application/json') =>
  fetch(`${svc.url}/v1/samples`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function counts(): Promise<Array<number | null>> {
  return Promise.all(SERIES.map(async (s) => (await svc.app.store.stats(s.name))?.count ?? null));
}

describe('POST /v1/samples', () => {
  it('stores the samples of every series in the request and says how many per series', async () => {
    const embed = recentSamples(3, Date.UTC(2026, 0, 1, 0, 2));
    const generate = recentSamples(2, Date.UTC(2026, 0, 1, 0, 1));

    const res = await push({ series: [{ name: 'embed-rps', samples: embed }, { name: 'generate-rps', samples: generate }] });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      stored: 5,
      changed: 5,
      series: [
        { name: 'embed-rps', stored: 3, changed: 3 },
        { name: 'generate-rps', stored: 2, changed: 2 },
      ],
    });
    expect(await svc.app.store.read('embed-rps')).toEqual(embed.map((s) => ({ t: Date.parse(s.t), v: s.v })));
    expect(await svc.app.store.read('generate-rps')).toEqual(generate.map((s) => ({ t: Date.parse(s.t), v: s.v })));
  });

  it('is idempotent: the same request again changes nothing', async () => {
    const before = await counts();
    const body = { series: [{ name: 'embed-rps', samples: recentSamples(3, Date.UTC(2026, 0, 1, 0, 2)) }] };

    const res = await push(body);

    expect(await res.json()).toMatchObject({ stored: 3, changed: 0 });
    expect(await counts()).toEqual(before);
  });

  it('schedules a refresh of each series it changed', async () => {
    const now = Date.now();
    const res = await push({ series: SERIES.map((s) => ({ name: s.name, samples: recentSamples(40, now) })) });
    expect(res.status).toBe(200);

    const last = recentSamples(1, now)[0]!.t;
    for (const s of SERIES) {
      const observed = await waitFor(
        async () => {
          const res = await fetch(`${svc.url}/v1/forecasts/${s.name}`);
          const body = res.status === 200 ? ((await res.json()) as { lastObserved: { t: string } }) : null;
          return body?.lastObserved.t === last ? body.lastObserved.t : undefined;
        },
        30_000,
        `a forecast of ${s.name} from the pushed samples`,
      );
      expect(observed).toBe(last);
    }
  });
});

describe('POST /v1/samples with bad input', () => {
  const ok = recentSamples(2, Date.UTC(2026, 1, 1));
  it.each<[string, number, string, unknown]>([
    ['an array instead of an object', 400, 'body', [{ name: 'embed-rps', samples: ok }]],
    ['an unknown top-level key', 400, 'body.samples', { series: [], samples: ok }],
    ['no series', 400, 'series', { series: [] }],
    ['a series that is not configured, after a good one', 404, 'series[1].name', { series: [{ name: 'embed-rps', samples: ok }, { name: 'no-such', samples: ok }] }],
    ['one series twice', 400, 'series[1].name', { series: [{ name: 'embed-rps', samples: ok }, { name: 'embed-rps', samples: ok }] }],
    ['a bad value in the second series', 400, 'series[1].samples[1].v', { series: [{ name: 'embed-rps', samples: ok }, { name: 'generate-rps', samples: [ok[0], { t: ok[1]!.t, v: 'many' }] }] }],
    ['samples that are not an array', 400, 'series[0].samples', { series: [{ name: 'embed-rps', samples: { t: 1, v: 1 } }] }],
    ['an unknown key in an entry', 400, 'series[0].labels', { series: [{ name: 'embed-rps', samples: ok, labels: {} }] }],
    ['more samples in all than server.maxSamplesPerRequest (60 + 60 > 100)', 413, 'body', { series: SERIES.map((s) => ({ name: s.name, samples: recentSamples(60, Date.UTC(2026, 1, 2)) })) }],
  ])('answers %s with a problem+json %i naming %s, and stores nothing', async (_label, status, field, body) => {
    const before = await counts();

    const res = await push(body);

    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status, field });
    expect(await counts()).toEqual(before);
  });

  it('refuses a CSV body with a problem naming the content type', async () => {
    const res = await push('2026-02-01T00:00:00Z,1\n', 'text/csv');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'content-type' });
  });
});
