import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { seriesOfShard } from '../../../training/shard';
import { runCli, tempDir } from '../../helpers/test-server';
import { syntheticLoad } from '../../helpers/synthetic-series';

/**
 * `prescale train --shard` as pods of a Kubernetes Indexed Job run it: the real CLI in child
 * processes (from dist/), history in a real SQLite file, models in the real file registry,
 * INDEX from `JOB_COMPLETION_INDEX` the way the Job controller sets it.
 */
const SERIES = ['embed-rps', 'retrieve-rps', 'generate-rps'];
const dir = tempDir('train-shard');
const config = join(dir.path, 'prescale.yaml');
afterAll(() => dir.remove());

interface TrainJson {
  shard: { index: number; count: number } | null;
  trained: { series: string; version: string; decision: string }[];
  failed: { series: string; error: string }[];
}

beforeAll(() => {
  const store = new SqliteHistoryStore(join(dir.path, 'history.sqlite'));
  SERIES.forEach((name, i) => {
    const load = syntheticLoad({ days: 16, stepSeconds: 3600, seed: i + 1 });
    store.append(name, Array.from(load.values, (v, k) => ({ t: load.startMs + k * 3_600_000, v })));
  });
  store.close();
  const series = SERIES.map((name) => `  - { name: ${name}, step: 1h, horizon: 2h, history: 16d }`).join('\n');
  writeFileSync(config, `storage: { dataDir: ${dir.path}, retention: 36500d }\ntraining:\n  backend: wasm\n  holdout: 1d\n  lstm: { units: 4, maxEpochs: 2, maxSamples: 200 }\nseries:\n${series}\n`);
});

describe('prescale train --shard', () => {
  it('two pods of a two-pod Job train every configured series exactly once, and say so in --json', async () => {
    const runs = await Promise.all(
      [0, 1].map((index) => runCli(['train', '--config', config, '--shard', '/2', '--json'], { JOB_COMPLETION_INDEX: String(index) }, 240_000)),
    );
    const docs = runs.map((r) => JSON.parse(r.stdout) as TrainJson);

    for (const r of runs) expect(r.code).toBe(0);
    expect(docs.map((d) => d.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    const trained = docs.flatMap((d) => d.trained.map((t) => t.series));
    expect(trained.sort()).toEqual([...SERIES].sort());
    for (const d of docs) expect(d.failed).toEqual([]);
    for (const t of docs.flatMap((d) => d.trained)) expect(t.version).toBe('v000001');

    const listed = await runCli(['models', 'list', '--config', config, '--json']);
    const views = (JSON.parse(listed.stdout) as { series: { series: string; versions: unknown[] }[] }).series;
    expect(views.filter((v) => v.versions.length === 1).map((v) => v.series).sort()).toEqual([...SERIES].sort());
  }, 300_000);

  it('a pod whose share is empty (more pods than series) trains nothing and succeeds', async () => {
    const index = [0, 1, 2, 3, 4, 5, 6, 7].find((i) => seriesOfShard(SERIES, { index: i, count: 8 }).length === 0)!;

    const r = await runCli(['train', '--config', config, '--shard', `${index}/8`, '--json']);

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ shard: { index, count: 8 }, trained: [], failed: [] });
    expect(r.stderr).toMatch(new RegExp(`shard ${index}/8 holds none of the 3 configured series`));
  });

  it.concurrent.each<[string, string[], Record<string, string>, RegExp]>([
    ['an index not below the count', ['--shard', '3/3'], {}, /--shard: index 3 is not below the shard count 3/],
    ['/COUNT outside an Indexed Job', ['--shard', '/3'], {}, /--shard: "\/3" takes INDEX from JOB_COMPLETION_INDEX, which is not set/],
    ['a JOB_COMPLETION_INDEX that is not a number', ['--shard', '/3'], { JOB_COMPLETION_INDEX: 'two' }, /JOB_COMPLETION_INDEX: "two" is not a shard index/],
    ['a JOB_COMPLETION_INDEX beyond the count', ['--shard', '/3'], { JOB_COMPLETION_INDEX: '3' }, /JOB_COMPLETION_INDEX: index 3 is not below the shard count 3/],
    ['a count of 0', ['--shard', '0/0'], {}, /--shard: "0\/0": COUNT must be at least 1/],
    ['no slash', ['--shard', '2'], {}, /--shard: "2" must be INDEX\/COUNT/],
    ['--shard with --series', ['--shard', '0/2', '--series', 'embed-rps'], {}, /--shard: shares out the configured series; give it without --series/],
  ])('exits 2 with one line on stderr for %s', async (_label, args, env, message) => {
    const r = await runCli(['train', '--config', config, ...args], env);

    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
