import fc from 'fast-check';
import type { RunningService } from '../../../main/serve';
import { tempDir, startService } from '../../helpers/test-server';

// Random bodies, some well-formed and most not, posted over a real socket to both push
// endpoints of a real service (SQLite file, forecast workers). Whatever arrives, the reply
// is a success that counts every sample or a 4xx problem+json that names the field, the
// service keeps serving, and no sample stored before is lost.

const NAMES = ['embed-rps', 'generate-rps'];
const INPUT_ERRORS = new Set([400, 404, 413]);

let dir: ReturnType<typeof tempDir>;
let svc: RunningService & { url: string };

beforeAll(async () => {
  dir = tempDir('push-fuzz');
  svc = await startService(dir.path, {
    series: NAMES.map((name) => ({ name, step: '1m', kind: 'rate', horizon: '30m' })),
    server: { host: '127.0.0.1', port: 0, maxSamplesPerRequest: 50, shutdownGrace: 2 },
  });
});
afterAll(async () => {
  await svc.stop();
  dir.remove();
});

const minuteNearNow = fc.integer({ min: -3000, max: 0 }).map((m) => Math.floor(Date.now() / 60_000) * 60_000 + m * 60_000);
const anything = fc.jsonValue({ maxDepth: 2 });
// Mostly good parts, so that many bodies get past their first sample: a body of ten samples
// is stored only when every one of them is good (in 4 runs: 23–34 of the 150 batch bodies).
const timestamp = fc.oneof(
  { weight: 30, arbitrary: minuteNearNow.map((t) => new Date(t).toISOString()) },
  { weight: 15, arbitrary: minuteNearNow.map((t) => t / 1000) }, // Unix seconds
  { weight: 1, arbitrary: minuteNearNow }, // milliseconds: out of range
  { weight: 1, arbitrary: fc.constantFrom('2026-13-01T00:00:00Z', 'yesterday', '', '1e400', '2999-01-01T00:00:00Z', '-1') },
  { weight: 1, arbitrary: anything },
);
const value = fc.oneof(
  { weight: 60, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom('12.5', '0x10', 'Infinity', ' 3 ', '1e309', '') },
  { weight: 1, arbitrary: anything },
);
const sample = fc.oneof(
  { weight: 30, arbitrary: fc.record({ t: timestamp, v: value }) },
  { weight: 1, arbitrary: fc.record({ t: timestamp, v: value, extra: anything }) },
  { weight: 1, arbitrary: anything },
);
const samples = fc.oneof({ weight: 8, arbitrary: fc.array(sample, { maxLength: 10 }) }, { weight: 1, arbitrary: anything });
const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.oneof(fc.string(), anything) });
const batchBody = fc.oneof(
  // Each configured series at most once (a repeated one is refused), up to 2 × 10 samples (the limit is 50).
  { weight: 8, arbitrary: fc.record({ series: fc.uniqueArray(fc.record({ name, samples }), { minLength: 1, maxLength: 2, selector: (e) => JSON.stringify(e.name) }) }) },
  { weight: 1, arbitrary: fc.record({ series: fc.array(fc.record({ name, samples }), { maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ series: fc.array(fc.record({ name, samples, labels: anything }), { maxLength: 2 }), more: anything }) },
  { weight: 1, arbitrary: anything },
);
/** Raw text sent as application/json: most of it is not JSON at all. */
const rawText = fc.oneof(fc.string(), fc.constantFrom('{', '[{"t": 1, "v": 1}', '{"series": [}', 'null', '"x"', '\u0000'));

async function storedCounts(): Promise<number[]> {
  return Promise.all(NAMES.map(async (n) => (await svc.app.store.stats(n))?.count ?? 0));
}

async function post(path: string, body: string): Promise<{ status: number; type: string; json: Record<string, unknown> }> {
  const res = await fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Record<string, unknown> };
}

/** Replies seen per status: the property must have met both successes and refusals. */
const seen = new Map<number, number>();

/** The reply rules every push obeys, whatever its body. */
function expectWellFormedReply(reply: Awaited<ReturnType<typeof post>>, samplesSent: () => number): void {
  seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
  if (reply.status === 200) {
    expect(reply.json['stored']).toBe(samplesSent());
    return;
  }
  expect(INPUT_ERRORS).toContain(reply.status);
  expect(reply.type).toMatch(/^application\/problem\+json/);
  expect(reply.json).toMatchObject({ status: reply.status, code: expect.any(String), detail: expect.any(String) });
  expect(reply.json['field']).toEqual(expect.stringMatching(/\S/));
}

function expectBothOutcomes(): void {
  const refused = [...seen].filter(([status]) => status !== 200).reduce((n, [, c]) => n + c, 0);
  expect({ succeeded: (seen.get(200) ?? 0) >= 5, refused: refused >= 5 }).toEqual({ succeeded: true, refused: true });
  seen.clear();
}

const countSamples = (body: unknown): number =>
  ((body as { series: { samples: unknown[] }[] }).series ?? []).reduce((n, s) => n + (Array.isArray(s.samples) ? s.samples.length : 0), 0);

/** Posts `bodies` to `path`: every reply well-formed, nothing stored lost, the service live, both outcomes met. */
async function fuzzPushes(path: string, bodies: fc.Arbitrary<string>, samplesSent: (text: string) => number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: bodies }, { weight: 1, arbitrary: rawText }), async (text) => {
      const before = await storedCounts();
      const reply = await post(path, text);
      expectWellFormedReply(reply, () => samplesSent(text));
      const after = await storedCounts();
      after.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(before[i] as number));
    }),
    { numRuns: 150 },
  );
  expect((await fetch(`${svc.url}/livez`)).status).toBe(200);
  expectBothOutcomes();
}

it('POST /v1/samples answers any body with a counted success or a problem naming the field, and loses nothing stored', () =>
  fuzzPushes('/v1/samples', batchBody.map((b) => JSON.stringify(b)), (text) => countSamples(JSON.parse(text))), 120_000);

it('POST /v1/series/{name}/samples answers any body with a counted success or a problem naming the field, and loses nothing stored', () =>
  fuzzPushes('/v1/series/embed-rps/samples', samples.map((s) => JSON.stringify(s)), (text) => (JSON.parse(text) as unknown[]).length), 120_000);
