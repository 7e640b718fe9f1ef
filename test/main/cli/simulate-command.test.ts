import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TRACE_DIR } from '../../helpers/trace-file';

// Runs the built CLI (`npm test` builds dist/ first) as a real child process on a real trace.
const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'bin/prescale.js');
const TRACE = join(TRACE_DIR, 'mscm_mongodb_app_qps_02.csv');
const POOL = 'capacityPerReplica: 65\nleadTime: 3m\nheadroom: 0.1\nminReplicas: 1\nmaxReplicas: 40\ngpusPerReplica: 2\ncostPerReplicaHour: 3\n';

describe('prescale simulate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-simulate-'));
    writeFileSync(join(dir, 'pool.yaml'), POOL);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints the five policies with exactly the documented fields, and --plot writes an SVG', async () => {
    const svg = join(dir, 'out.svg');
    const { stdout } = await run('node', [BIN, 'simulate', TRACE, '--pool', join(dir, 'pool.yaml'), '--step', '5m', '--json', '--plot', svg]);
    const doc = JSON.parse(stdout) as { policies: Record<string, unknown>[]; servedModels: Record<string, number> };
    expect(Object.keys(doc)).toEqual(['policies', 'servedModels']);
    // The default model, seasonal, served every scheduled fit.
    expect(Object.keys(doc.servedModels)).toEqual(['seasonal']);
    expect(doc.servedModels['seasonal']).toBeGreaterThan(0);
    expect(doc.policies.map((p) => p['policy'])).toEqual(['reactive-hpa', 'schedule', 'fixed', 'prescale', 'oracle']);
    for (const p of doc.policies) {
      // No expectedCost: this pool does not price a missing replica-hour.
      expect(Object.keys(p).sort()).toEqual(
        ['policy', 'underProvisionedShare', 'unservedShare', 'unservedReplicaHours', 'replicaHours', 'gpuHours', 'cost', 'scalingActions', 'thetaU', 'thetaO', 'tauU', 'tauO'].sort(),
      );
      expect(p['unservedReplicaHours'] as number).toBeGreaterThanOrEqual(0);
      expect(p['gpuHours']).toBeCloseTo((p['replicaHours'] as number) * 2, 6);
      expect(p['cost']).toBeCloseTo((p['replicaHours'] as number) * 3, 6);
    }
    expect(doc.policies.find((p) => p['policy'] === 'oracle')!['underProvisionedShare']).toBe(0);
    const image = readFileSync(svg, 'utf8');
    expect(image.startsWith('<svg')).toBe(true);
    for (const name of ['reactive-hpa', 'schedule', 'fixed', 'prescale', 'oracle']) expect(image).toContain(`>${name}<`);
  });

  it('with underProvisionCost, prices each policy at the pool\'s expected cost, in --json and as a table column', async () => {
    const priced = join(dir, 'priced.yaml');
    writeFileSync(priced, `${POOL}underProvisionCost: 27\n`);
    const args = [BIN, 'simulate', TRACE, '--pool', priced, '--step', '1h', '--warmup', '3d'];
    const doc = JSON.parse((await run('node', [...args, '--json'])).stdout) as { policies: Record<string, number>[] };
    for (const p of doc.policies) expect(p['expectedCost']).toBeCloseTo(3 * p['replicaHours']! + 27 * p['unservedReplicaHours']!, 6);
    // The oracle is never short; the reactive HPA, a cold start behind, is.
    const byName = new Map(doc.policies.map((p) => [p['policy'] as unknown as string, p]));
    expect(byName.get('oracle')!['unservedReplicaHours']).toBe(0);
    expect(byName.get('reactive-hpa')!['unservedReplicaHours']).toBeGreaterThan(0);
    const table = (await run('node', args)).stdout;
    expect(table.split('\n')[0]).toMatch(/\scost\s+expected cost\s+actions$/);
    const reactiveRow = table.split('\n').find((l) => l.startsWith('reactive-hpa'))!;
    expect(reactiveRow).toContain(byName.get('reactive-hpa')!['expectedCost']!.toFixed(2));
  });

  it('with calibrateDecisions, reports the level the decision calibration reached, in --json and under the table', async () => {
    const calibrated = join(dir, 'calibrated.yaml');
    writeFileSync(calibrated, `${POOL}underProvisionCost: 27\ncalibrateDecisions: true\n`);
    const args = [BIN, 'simulate', TRACE, '--pool', calibrated, '--step', '5m', '--warmup', '3d'];
    const doc = JSON.parse((await run('node', [...args, '--json'])).stdout) as { decisionCalibration: { level: number; scored: number; missed: number; missRate: number } };
    const c = doc.decisionCalibration;
    expect(c.missRate).toBeCloseTo(3 / 30, 12);
    expect(c.scored).toBeGreaterThan(0);
    expect(c.missed).toBeLessThanOrEqual(c.scored);
    // Within the replay's served levels (q0.5–q0.98), never below the median.
    expect(c.level).toBeGreaterThanOrEqual(0.5);
    expect(c.level).toBeLessThanOrEqual(0.98);
    const table = (await run('node', args)).stdout;
    expect(table).toContain(`prescale decision calibration: q${c.level.toFixed(3)}, ${((100 * c.missed) / c.scored).toFixed(1)}% of ${c.scored} binding decisions missed (the price asks 10.0%)`);
  });

  it('prints a table by default', async () => {
    const { stdout } = await run('node', [BIN, 'simulate', TRACE, '--pool', join(dir, 'pool.yaml'), '--step', '1h', '--warmup', '3d']);
    expect(stdout.split('\n')[0]).toMatch(/^policy\s+under-prov\s+unserved\s+θU\s+θO\s+τU\s+τO\s+replica-h\s+GPU-h\s+cost\s+actions$/);
    expect(stdout).toMatch(/^prescale\s/m);
  });

  it("--scale-up-tolerance 0 sets Prescale's HPA tolerance: Prescale's row changes, the reactive HPA's does not", async () => {
    const args = [BIN, 'simulate', TRACE, '--pool', join(dir, 'pool.yaml'), '--step', '1m', '--warmup', '3d', '--json'];
    const policies = async (extra: string[]) => new Map((JSON.parse((await run('node', [...args, ...extra])).stdout) as { policies: { policy: string; scalingActions: number }[] }).policies.map((p) => [p.policy, p]));
    const stock = await policies([]);
    const zero = await policies(['--scale-up-tolerance', '0']);
    expect(zero.get('reactive-hpa')).toEqual(stock.get('reactive-hpa'));
    expect(zero.get('prescale')!.scalingActions).toBeGreaterThan(stock.get('prescale')!.scalingActions);
  }, 120_000);

  it('--model auto trains as the service default does and says which kinds its trainings left serving', async () => {
    const { stdout } = await run('node', [BIN, 'simulate', TRACE, '--pool', join(dir, 'pool.yaml'), '--step', '1h', '--warmup', '3d', '--model', 'auto', '--train-every', '2d']);
    expect(stdout).toMatch(/^prescale\s/m);
    const served = /^prescale fits served: (.+)$/m.exec(stdout)![1]!;
    for (const part of served.split(', ')) expect(part).toMatch(/^(seasonal-naive|seasonal|mstl|ensemble) ×\d+$/);
  }, 120_000);

  it.each([
    ['an unknown --model', POOL, ['--model', 'prophet'], /^prescale: --model: unknown model "prophet" \(known: .*auto\)/],
    ['a pool field out of range', 'capacityPerReplica: -1\nleadTime: 3m\nmaxReplicas: 4\n', [], /capacityPerReplica/],
    ['an unknown pool key', `${POOL}replicas: 3\n`, [], /replicas/],
    ['a bad --step', POOL, ['--step', 'often'], /--step/],
    ['a zero --train-every', POOL, ['--train-every', '0s'], /--train-every.*at least 1s/],
    ['a bad --refit-every', POOL, ['--refit-every', 'daily'], /--refit-every/],
    ['a negative --scale-up-tolerance', POOL, ['--scale-up-tolerance', '-0.1'], /^prescale: --scale-up-tolerance: "-0\.1" must be a number in \[0, 1\)/],
  ])('exits 2 with one line on stderr for %s', async (_case, pool, extra, pattern) => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, pool);
    const err = (await run('node', [BIN, 'simulate', TRACE, '--pool', file, ...extra]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(pattern);
  });
});
