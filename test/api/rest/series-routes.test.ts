import type { RunningService } from '../../../main/serve';
import { recentSamples, startService, tempDir } from '../../helpers/test-server';

/** Pushes and reads samples over a real socket; every bad request gets a problem+json 4xx and changes nothing. */
let dir: ReturnType<typeof tempDir>;
let svc: RunningService & { url: string };

beforeAll(async () => {
  dir = tempDir('api-series');
  svc = await startService(dir.path);
});
afterAll(async () => {
  await svc.stop();
  dir.remove();
});

const post = (path: string, body: string, contentType: string) => fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

const postJson = (name: string, samples: unknown) => post(`/v1/series/${name}/samples`, JSON.stringify(samples), 'application/json');

/** Count, range and checksums of everything stored for a series: equal fingerprints, same data. */
async function fingerprint(name: string): Promise<string> {
  let sumT = 0;
  let sumV = 0;
  let weighted = 0;
  for (const [i, s] of (await svc.app.store.read(name)).entries()) {
    sumT += s.t;
    sumV += s.v;
    weighted += (i % 101) * s.v;
  }
  return JSON.stringify({ stats: (await svc.app.store.stats(name)), sumT, sumV, weighted });
}

interface SeriesEntry {
  name: string;
  samples: number;
  first: string | null;
  last: string | null;
  stale: boolean;
  ageSeconds: number | null;
  step: number;
  kind: string;
  timezone: string;
  hasForecast: boolean;
}

async function listed(name: string): Promise<SeriesEntry> {
  const body = (await (await fetch(`${svc.url}/v1/series`)).json()) as { series: SeriesEntry[] };
  return body.series.find((s) => s.name === name)!;
}

describe('POST /v1/series/{name}/samples', () => {
  it('stores a JSON array of {t, v} with RFC 3339 or unix-second timestamps and says how many', async () => {
    const res = await postJson('api-rps', [
      { t: '2026-01-01T00:00:00Z', v: 1 },
      { t: Date.UTC(2026, 0, 1, 0, 1) / 1000, v: 2 },
    ]);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ series: 'api-rps', stored: 2, changed: 2 });
    expect((await svc.app.store.read('api-rps')).slice(0, 2)).toEqual([
      { t: Date.UTC(2026, 0, 1), v: 1 },
      { t: Date.UTC(2026, 0, 1, 0, 1), v: 2 },
    ]);
  });

  it('stores a CSV body with or without a header, skipping empty values', async () => {
    const res = await post('/v1/series/api-rps/samples', 'timestamp,value\n2026-01-01T00:02:00Z,3\n2026-01-01T00:03:00Z,\n2026-01-01T00:04:00Z,5\n', 'text/csv');
    const noHeader = await post('/v1/series/api-rps/samples', '2026-01-01T00:05:00Z,6\n', 'text/csv; charset=utf-8');

    expect(await res.json()).toEqual({ series: 'api-rps', stored: 2, changed: 2 });
    expect(await noHeader.json()).toEqual({ series: 'api-rps', stored: 1, changed: 1 });
  });

  it('accepts 10,000 samples in one request', async () => {
    const samples = recentSamples(10_000, Date.UTC(2026, 0, 20));

    const res = await postJson('api-rps', samples);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 10_000, changed: 10_000 });
  });

  it('is idempotent: re-sending the same batch stores nothing new', async () => {
    const before = await listed('api-rps');
    const batch = [
      { t: '2026-01-01T00:00:00Z', v: 1 },
      { t: '2026-01-01T00:01:00Z', v: 2 },
    ];

    const res = await postJson('api-rps', batch);

    expect(await res.json()).toEqual({ series: 'api-rps', stored: 2, changed: 0 });
    expect((await listed('api-rps')).samples).toBe(before.samples);
  });
});

describe('GET /v1/series', () => {
  it('lists each configured series with sample count, first and last timestamps and freshness', async () => {
    const entry = await listed('api-rps');

    expect(entry).toMatchObject({
      name: 'api-rps',
      step: 60,
      kind: 'rate',
      timezone: 'Europe/Berlin',
      samples: (await svc.app.store.stats('api-rps'))!.count,
      first: '2026-01-01T00:00:00.000Z',
      last: new Date((await svc.app.store.last('api-rps'))!.t).toISOString(),
      // The newest sample is from January 2026, long ago for the wall clock.
      stale: true,
    });
    expect(entry.ageSeconds).toBeGreaterThan(0);
    expect(typeof entry.hasForecast).toBe('boolean');
  });
});

describe('GET /v1/series pages (Kubernetes list semantics)', () => {
  const page = async (query: string) => {
    const res = await fetch(`${svc.url}/v1/series${query}`);
    return { status: res.status, body: (await res.json()) as { metadata?: { continue?: string }; series?: SeriesEntry[]; field?: string } };
  };

  it('walks every series once with ?limit=1 and the continue token, the last page without one', async () => {
    const all = (await page('')).body;
    expect(all.metadata).toEqual({});
    const seen: string[] = [];
    let query = '?limit=1';
    for (let i = 0; i < 10; i++) {
      const { status, body } = await page(query);
      expect(status).toBe(200);
      expect(body.series).toHaveLength(1);
      seen.push(body.series![0]!.name);
      if (!body.metadata?.continue) break;
      query = `?limit=1&continue=${encodeURIComponent(body.metadata.continue)}`;
    }
    expect(seen).toEqual(all.series!.map((s) => s.name));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=10001', 'limit'],
    ['continue=not-a-token', 'continue'],
    [`continue=${Buffer.from(JSON.stringify({ v: 1, after: 'gone-series' })).toString('base64url')}`, 'continue'],
  ])('answers ?%s with a 400 problem naming %s', async (query, field) => {
    const { status, body } = await page(`?${query}`);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
  });
});

describe('bad input', () => {
  interface Problem {
    type: string;
    title: string;
    status: number;
    detail: string;
    field?: string;
    code: string;
  }

  const bigBatch = JSON.stringify(recentSamples(10_001, Date.UTC(2025, 0, 1)));
  const bigCsv = recentSamples(10_001, Date.UTC(2025, 0, 1)).map((s) => `${s.t},${s.v}`).join('\n');

  it.each<[string, number, string, () => Promise<Response>]>([
    ['unknown series', 404, 'name', () => postJson('no-such-series', [{ t: 1, v: 1 }])],
    ['malformed JSON', 400, 'body', () => post('/v1/series/api-rps/samples', '[{"t": 1, "v": ', 'application/json')],
    ['a JSON object instead of an array', 400, 'body', () => postJson('api-rps', { t: 1, v: 1 })],
    ['malformed CSV (three columns)', 400, 'line 2', () => post('/v1/series/api-rps/samples', '2026-02-01T00:00:00Z,1\n2026-02-01T00:01:00Z,1,2\n', 'text/csv')],
    ['a non-numeric JSON value', 400, 'body[1].v', () => postJson('api-rps', [{ t: '2026-02-01T00:00:00Z', v: 1 }, { t: '2026-02-01T00:01:00Z', v: 'many' }])],
    ['a non-finite JSON value', 400, 'body[0].v', () => postJson('api-rps', [{ t: '2026-02-01T00:00:00Z', v: 'Infinity' }])],
    ['a non-finite CSV value', 400, 'line 1 value', () => post('/v1/series/api-rps/samples', '2026-02-01T00:00:00Z,NaN\n', 'text/csv')],
    ['a non-numeric CSV value', 400, 'line 2 value', () => post('/v1/series/api-rps/samples', '2026-02-01T00:00:00Z,1\n2026-02-01T00:01:00Z,lots\n', 'text/csv')],
    ['an unparseable JSON timestamp', 400, 'body[0].t', () => postJson('api-rps', [{ t: 'next tuesday', v: 1 }])],
    ['an unparseable CSV timestamp', 400, 'line 2 timestamp', () => post('/v1/series/api-rps/samples', '2026-02-01T00:00:00Z,1\n26/11/2026,2\n', 'text/csv')],
    ['a batch over the limit (10,001 > 10,000)', 413, 'body', () => post('/v1/series/api-rps/samples', bigBatch, 'application/json')],
    ['a CSV batch over the limit', 413, 'body', () => post('/v1/series/api-rps/samples', bigCsv, 'text/csv')],
    ['a JSON sample in year 5138 (beyond server.maxFutureSkew)', 400, 'body[1].t', () => postJson('api-rps', [{ t: '2026-02-01T00:00:00Z', v: 1 }, { t: '5138-11-16T09:46:00Z', v: 1 }])],
    ['a CSV sample an hour ahead of the clock', 400, 'line 1 timestamp', () => post('/v1/series/api-rps/samples', `${new Date(Date.now() + 3600_000).toISOString()},1\n`, 'text/csv')],
    ['one timestamp twice in a batch', 400, 'body[1].t', () => postJson('api-rps', [{ t: '2026-02-01T00:00:00Z', v: 1 }, { t: '2026-02-01T00:00:00Z', v: 2 }])],
    ['a wrong content type', 400, 'content-type', () => post('/v1/series/api-rps/samples', '<samples/>', 'application/xml')],
    ['an unknown route', 404, 'path', () => fetch(`${svc.url}/v1/nothing-here`)],
    ['a horizon that is not a duration', 400, 'horizon', () => fetch(`${svc.url}/v1/forecasts/api-rps?horizon=soon`)],
    ['a forecast of an unknown series', 404, 'name', () => fetch(`${svc.url}/v1/forecasts/no-such-series`)],
  ])('answers %s with a problem+json %i naming the field, and loses or changes nothing', async (_label, status, field, request) => {
    const before = await fingerprint('api-rps');

    const res = await request();
    const problem = (await res.json()) as Problem;

    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem).toMatchObject({ status, field });
    expect(problem.type).toMatch(/^https:\/\/prescale\.dev\/problems\//);
    expect(problem.title.length).toBeGreaterThan(0);
    expect(problem.detail.length).toBeGreaterThan(0);
    expect(await fingerprint('api-rps')).toBe(before);
    expect((await svc.app.store.stats('no-such-series'))).toBeNull();
  });

  it('rejects a whole batch when one sample is bad, storing none of it', async () => {
    const before = (await svc.app.store.stats('api-rps'))!.count;

    const res = await postJson('api-rps', [
      { t: '2026-03-01T00:00:00Z', v: 1 },
      { t: '2026-03-01T00:01:00Z', v: null },
    ]);

    expect(res.status).toBe(400);
    expect((await svc.app.store.stats('api-rps'))!.count).toBe(before);
    expect(await svc.app.store.read('api-rps', { fromMs: Date.UTC(2026, 2, 1) })).toEqual([]);
  });
});

describe('a push from the future', () => {
  it('is refused whole, and the 4,320 stored samples survive the next refresh (it once cut them to 2)', async () => {
    const stored = recentSamples(4320);
    expect((await postJson('api-rps', stored)).status).toBe(200);
    const fromMs = Date.parse(stored[0]!.t);

    const res = await postJson('api-rps', [
      { t: stored[4319]!.t, v: 1 },
      { t: '5138-11-16T09:46:00Z', v: 1 },
      { t: '5138-11-16T09:47:00Z', v: 1 },
    ]);
    await svc.app.forecasts.refit('api-rps');

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'body[1].t', detail: expect.stringMatching(/server\.maxFutureSkew/) });
    expect((await svc.app.store.read('api-rps', { fromMs }))).toHaveLength(4320);
    expect((await svc.app.store.last('api-rps'))!.t).toBe(Date.parse(stored[4319]!.t));
  });
});
