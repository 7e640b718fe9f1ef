import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { type RunningService, serve } from '../../../main/serve';

describe('GET /v1/series/{name}/samples', () => {
  let dir: string;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-history-'));
    const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: dir }, series: [{ name: 'api-rps', step: '1m' }] });
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${service.port}`;
    const samples = [0, 1, 2, 3].map((i) => ({ t: `2026-11-26T10:0${i}:00Z`, v: i * 10 }));
    await fetch(`${base}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
  });

  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the stored samples in the range, oldest first', async () => {
    const res = await fetch(`${base}/v1/series/api-rps/samples?from=2026-11-26T10:01:00Z&to=2026-11-26T10:02:00Z`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      series: 'api-rps',
      samples: [
        { t: '2026-11-26T10:01:00.000Z', v: 10 },
        { t: '2026-11-26T10:02:00.000Z', v: 20 },
      ],
    });
  });

  it.each([
    ['an unparseable from', '?from=yesterday', 400, 'from'],
    ['from after to', '?from=2026-11-26T11:00:00Z&to=2026-11-26T10:00:00Z', 400, 'from'],
  ])('rejects %s with a problem naming the field', async (_case, query, status, field) => {
    const res = await fetch(`${base}/v1/series/api-rps/samples${query}`);

    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await res.json()) as { field: string }).field).toBe(field);
  });

  it('answers 404 for an unknown series', async () => {
    const res = await fetch(`${base}/v1/series/nope/samples`);

    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('SERIES_NOT_FOUND');
  });
});
