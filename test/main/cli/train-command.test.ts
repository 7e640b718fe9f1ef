import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticLoad } from '../../helpers/synthetic-series';

// Runs the real CLI from dist/ (npm test builds first), in its own process like a Kubernetes Job.
const bin = join(__dirname, '..', '..', '..', 'bin', 'prescale.js');

describe('prescale train and prescale models', () => {
  let dir: string;
  let csv: string;
  let config: string;
  let fixedConfig: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, PRESCALE_DATA_DIR: dir } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-train-cli-'));
    const series = syntheticLoad({ days: 16, stepSeconds: 3600 });
    csv = join(dir, 'shop-rps.csv');
    writeFileSync(csv, ['timestamp,value', ...Array.from(series.values, (v, i) => `${new Date(series.startMs + i * 3600_000).toISOString()},${v}`)].join('\n'));
    const training = `training:\n  backend: wasm\n  holdout: 1d\n  lstm:\n    units: 4\n    maxEpochs: 2\n    maxSamples: 200\n`;
    config = join(dir, 'prescale.yaml');
    writeFileSync(config, training);
    // A fixed serving model: training trains `training.model` (ensemble) without choosing.
    fixedConfig = join(dir, 'prescale-fixed.yaml');
    writeFileSync(fixedConfig, `forecast:\n  model: seasonal\n${training}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a CSV file into the registry, logging plain progress lines when stderr is not a terminal', () => {
    const res = run('train', '--config', fixedConfig, '--csv', csv, '--step', '1h', '--horizon', '2h');

    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^series=shop-rps version=v000001 kind=ensemble decision=promoted backend=wasm /m);
    expect(res.stdout).not.toMatch(/choice=/);
    expect(res.stderr).toMatch(/^series=shop-rps epoch=1\/2 loss=\d/m);
    const manifest = JSON.parse(readFileSync(join(dir, 'models', 'shop-rps', 'versions', 'v000001', 'manifest.json'), 'utf8')) as { backend: string; kind: string };
    expect(manifest).toMatchObject({ backend: 'wasm', kind: 'ensemble' });

    const listed = run('models', 'list', '--config', config, '--series', 'shop-rps', '--json');
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ series: [{ series: 'shop-rps', promoted: 'v000001', versions: [{ version: 'v000001', status: 'promoted' }] }] });
  });

  it('under forecast.model auto (the default), chooses the kind as the service does, at the step of the file when --step is not given', () => {
    const res = run('train', '--config', config, '--csv', csv, '--name', 'shop-auto', '--horizon', '2h', '--json');

    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/no --step given; using 1h/);
    const [trained] = (JSON.parse(res.stdout) as { trained: { kind: string; choice: { chosen: string; candidates: { kind: string; score: { mase: number } }[] } }[] }).trained;
    expect(trained!.choice.candidates.map((c) => c.kind)).toEqual(['seasonal-naive', 'seasonal', 'mstl', 'ensemble']);
    for (const c of trained!.choice.candidates) expect(c.score.mase).toEqual(expect.any(Number));
    expect(trained!.kind).toBe(trained!.choice.chosen);
    const manifest = JSON.parse(readFileSync(join(dir, 'models', 'shop-auto', 'versions', 'v000001', 'manifest.json'), 'utf8')) as { kind: string; choice: unknown };
    expect(manifest).toMatchObject({ kind: trained!.kind, choice: trained!.choice });
  });

  it.each([
    ['--series with --csv', ['--series', 'a', '--csv', 'x.csv'], /--csv: give either --series or --csv/],
    ['--csv of standard input without --name', ['--csv', '-'], /--name: is required with --csv -/],
    ['an unknown series', ['--series', 'nope'], /--series: "nope" is not a configured series/],
  ])('exits 2 with one line on stderr for %s', (_case, args, message) => {
    const res = run('train', '--config', config, ...args);

    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
  });

  it('refuses to roll back when there is no earlier version', () => {
    const res = run('models', 'rollback', '--config', config, '--series', 'shop-rps');

    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/no earlier promoted version/);
  });
});
