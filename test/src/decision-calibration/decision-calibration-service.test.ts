import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, serve } from '../../../main/serve';
import { parseConfig } from '../../../src/config/load-config';
import { DECISION_CALIBRATION_RATE } from '../../../src/decision-calibration/decision-calibration';
import { JsonFileCalibrationStore } from '../../../src/decision-calibration/json-file-calibration-store';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { waitFor } from '../../helpers/test-server';
import { readTrace } from '../../helpers/trace-file';

/**
 * Decision calibration in the real service (`pools[].calibrateDecisions`): SQLite history and
 * the JSON calibration file in a temporary data dir, the plan over HTTP, the metrics from
 * `/metrics`, a shipped trace (NAB ELB request count, 5-minute steps). The pool's binding
 * decisions are scored one lead time later, the plan reason says the calibrated level, and a
 * restarted service goes on from the saved level.
 */
const trace = readTrace('nab_elb_request_count_8c0756.csv');
const WARM = 2 * 288;
const STEPS = 60;

interface PlanBody {
  forecast: { quantile: number; quantileWhy: string; decisionCalibration?: { level: number; scored: number; missed: number; missRate: number } };
  steps: { replicas: number; detail: string }[];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-decision-calibration-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(prices: { underProvisionCost: number; costPerReplicaHour: number }) {
  return parseConfig({
    server: { host: '127.0.0.1', port: 0, shutdownGrace: '1s' },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal-naive', refreshDebounce: 600 },
    series: [{ name: 'elb', step: '5m', horizon: '1h', history: '2d', seasonalities: ['daily'], staleAfter: 1000, quantiles: [0.5, 0.7, 0.8, 0.9, 0.95] }],
    // One replica is a tenth of the trace's typical load, so the forecast's spread crosses whole replicas.
    pools: [{ name: 'gpu', series: 'elb', capacityPerReplica: 5, leadTime: '10m', headroom: 0, minReplicas: 0, maxReplicas: 500, calibrateDecisions: true, ...prices }],
  });
}

const PRICES = { underProvisionCost: 22.5, costPerReplicaHour: 2.5 };

async function start(clock: ManualClock, prices = PRICES): Promise<RunningService> {
  return serve({ config: config(prices), logger: createLogger({ level: 'silent' }), clock, runner: new InProcessForecastRunner() });
}

async function get(running: RunningService, path: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${running.port}${path}`, { headers: { connection: 'close' } });
}

async function plan(running: RunningService): Promise<PlanBody> {
  const res = await get(running, '/v1/plans/gpu');
  expect(res.status).toBe(200);
  return (await res.json()) as PlanBody;
}

/** Each trace step: the sample arrives, the forecast refits, and the HPA reads the plan (as every 15 s in a cluster). */
async function stepTo(running: RunningService, clock: ManualClock, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    clock.set(trace[i]!.t + 30_000);
    await running.app.forecasts.ingest('elb', [trace[i]!]);
    await running.app.forecasts.refit('elb');
    await plan(running);
  }
}

it('scores binding decisions one lead time later, sizes at the level they move it to, and says so in the plan and the metrics', async () => {
  const clock = new ManualClock(trace[WARM - 1]!.t + 30_000);
  const running = await start(clock);
  try {
    await running.app.forecasts.ingest('elb', trace.slice(0, WARM));
    await stepTo(running, clock, WARM, WARM + STEPS);
    const body = await plan(running);
    const c = body.forecast.decisionCalibration!;
    expect(c.missRate).toBeCloseTo(0.1, 12);
    expect(c.scored).toBeGreaterThan(10);
    // The level moved from q0.9 by rate × (missed − α × scored): no bound held it on this span.
    expect(c.level).toBeCloseTo(0.9 + DECISION_CALIBRATION_RATE * (c.missed - 0.1 * c.scored), 9);
    expect(c.level).not.toBeCloseTo(0.9, 6);
    expect(body.forecast.quantile).toBe(c.level);
    expect(body.forecast.quantileWhy).toMatch(/^decision-calibrated q[\d.]+: [\d.]+% of \d+ binding decisions missed, the price asks 10% \(newsvendor q0\.9 = u\/\(u\+c\) = 22\.5\/\(22\.5\+2\.5\)\)$/);
    expect(body.steps[0]!.detail).toContain('decision-calibrated');

    const metrics = await (await get(running, '/metrics')).text();
    expect(metrics).toMatch(new RegExp(`^prescale_plan_decision_level\\{pool="gpu"\\} ${c.level}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^prescale_plan_decisions_scored\\{pool="gpu"\\} ${c.scored}$`, 'm'));
    expect(metrics).toMatch(/^prescale_plan_decision_target_miss_ratio\{pool="gpu"\} 0\.1$/m);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    expect([lint.status, lint.stdout, lint.stderr]).toEqual([0, '', '']);
  } finally {
    await running.stop();
  }
}, 120_000);

it('a restarted service sizes at the saved level and goes on scoring; new prices start again from the newsvendor level', async () => {
  const clock = new ManualClock(trace[WARM - 1]!.t + 30_000);
  const first = await start(clock);
  await first.app.forecasts.ingest('elb', trace.slice(0, WARM));
  await stepTo(first, clock, WARM, WARM + STEPS);
  const before = (await plan(first)).forecast.decisionCalibration!;
  await first.stop();
  const saved = JSON.parse(readFileSync(join(dir, 'decision-calibration.json'), 'utf8')) as { pools: Record<string, { state: { level: number; scored: number } }> };
  expect(saved.pools['gpu']!.state).toMatchObject({ level: before.level, scored: before.scored });

  const second = await start(clock);
  try {
    await waitFor(async () => (second.app.forecasts.isReady() ? true : undefined), 30_000, 'the first forecast pass');
    expect((await plan(second)).forecast.decisionCalibration).toEqual(before);
    await stepTo(second, clock, WARM + STEPS, WARM + STEPS + 12);
    expect((await plan(second)).forecast.decisionCalibration!.scored).toBeGreaterThan(before.scored);
  } finally {
    await second.stop();
  }

  // u = 7.5, c = 2.5: the price now asks a 25 % miss rate; outcomes scored against 10 % do not carry over.
  const third = await start(clock, { underProvisionCost: 7.5, costPerReplicaHour: 2.5 });
  try {
    await waitFor(async () => (third.app.forecasts.isReady() ? true : undefined), 30_000, 'the first forecast pass');
    expect((await plan(third)).forecast.decisionCalibration).toEqual({ level: 0.75, scored: 0, missed: 0, missRate: 0.25 });
  } finally {
    await third.stop();
  }
}, 180_000);

it('an unreadable calibration file is moved aside, not overwritten', async () => {
  const file = join(dir, 'decision-calibration.json');
  writeFileSync(file, '{"formatVersion": 1, "pools": {"gpu": {"missRate": 2');
  const moved: string[] = [];
  const store = new JsonFileCalibrationStore(file, (_why, to) => moved.push(to));
  expect(await store.load()).toBeNull();
  expect(moved).toHaveLength(1);
  const state = { formatVersion: 1 as const, savedAtMs: 5, pools: { gpu: { missRate: 0.1, state: { level: 0.8, scored: 3, missed: 1, pending: [{ dueMs: 9, coveredLoad: 40 }] } } } };
  await store.save(state);
  expect(await store.load()).toEqual(state);
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  // A level outside (0, 1) is not a calibration: moved aside too, naming the field.
  writeFileSync(file, JSON.stringify({ ...state, pools: { gpu: { ...state.pools.gpu, state: { ...state.pools.gpu.state, level: 1.5 } } } }));
  const why: string[] = [];
  expect(await new JsonFileCalibrationStore(file, (w) => why.push(w)).load()).toBeNull();
  expect(why[0]).toContain('pools.gpu.state.level');
});

it('refuses calibrateDecisions on a pool without underProvisionCost, naming the field', () => {
  const pool = { name: 'p', series: 'rps', capacityPerReplica: 10, maxReplicas: 5, costPerReplicaHour: 1, calibrateDecisions: true };
  try {
    parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [pool] });
    throw new Error('accepted');
  } catch (err) {
    expect(err).toBeInstanceOf(PrescaleError);
    expect((err as Error).message).toContain('pools[0].calibrateDecisions');
    expect((err as Error).message).toContain('needs underProvisionCost');
  }
  expect(() => parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [{ ...pool, underProvisionCost: 9 }] })).not.toThrow();
});
