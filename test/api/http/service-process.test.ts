import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { collect, freePort, recentSamples, spawnCli, tempDir, waitFor } from '../../helpers/test-server';

/**
 * The real service as users run it: `node bin/prescale.js serve --config FILE` in a child
 * process, on a port taken from PORT, with its SQLite history under PRESCALE_DATA_DIR.
 */
const CONFIG = `series:
  - name: generate-rps
    step: 1m
    kind: rate
    timezone: Europe/Berlin
    horizon: 30m
    quantiles: [0.5, 0.9]
`;

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('process');
  writeFileSync(join(dir.path, 'prescale.yaml'), CONFIG);
});
afterEach(() => dir.remove());

async function startChild() {
  const port = await freePort();
  const dataDir = join(dir.path, 'state');
  const child = spawnCli(['serve', '--config', join(dir.path, 'prescale.yaml')], { PORT: String(port), HOST: '127.0.0.1', PRESCALE_DATA_DIR: dataDir });
  const result = collect(child, 60_000);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 30_000, 'the service to listen');
  return { child, result, url, dataDir };
}

describe('the service process', () => {
  it('keeps every acknowledged sample when it is killed (SIGKILL) right after the reply', async () => {
    const { child, result, url, dataDir } = await startChild();
    const samples = recentSamples(5000);

    const res = await fetch(`${url}/v1/series/generate-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
    const reply = (await res.json()) as { stored: number };
    child.kill('SIGKILL');
    const exit = await result;

    expect(reply.stored).toBe(5000);
    expect(exit.signal).toBe('SIGKILL');
    const store = new SqliteHistoryStore(join(dataDir, 'history.sqlite'));
    try {
      const stored = await store.read('generate-rps');
      expect(stored).toHaveLength(5000);
      expect(stored[0]).toEqual({ t: Date.parse(samples[0]!.t), v: samples[0]!.v });
      expect(stored[4999]).toEqual({ t: Date.parse(samples[4999]!.t), v: samples[4999]!.v });
    } finally {
      store.close();
    }
  });

  it('drains and exits 0 on SIGTERM, logging JSON lines, and keeps its data for the next start', async () => {
    const first = await startChild();
    await fetch(`${first.url}/v1/series/generate-rps/samples`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'timestamp,value\n2026-01-01T00:00:00Z,5\n' });

    first.child.kill('SIGTERM');
    const exit = await first.result;

    expect(exit.code).toBe(0);
    const lines = exit.stdout.trim().split('\n');
    const logs = lines.map((l) => JSON.parse(l) as { msg: string; level: number; service: string });
    expect(logs.every((l) => l.service === 'prescale' && typeof l.level === 'number')).toBe(true);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['prescale listening', 'shutting down: draining in-flight requests', 'prescale stopped']));

    const second = await startChild();
    try {
      // Counts are learnt on the history read worker after the start (`samples` is null until then).
      const series = await waitFor(
        async () => {
          const body = (await (await fetch(`${second.url}/v1/series`)).json()) as { series: Array<{ name: string; samples: number | null }> };
          return body.series.every((s) => s.samples !== null) ? body.series : undefined;
        },
        10_000,
        'the sample counts of the restarted service',
      );
      expect(series).toContainEqual(expect.objectContaining({ name: 'generate-rps', samples: 1 }));
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.result).code).toBe(0);
    }
  });
});
