import { writeFileSync } from 'node:fs';
import { invalidInput } from '../../../src/errors/prescale-error';
import { capacityCeiling } from '../../../simulate/capacity-ceiling';
import { type PoolPrices, expectedCost, poolPrices } from '../../../simulate/expected-cost';
import { loadPoolFile } from '../../../simulate/pool-config';
import { type PrescaleSettings, type SimulationResult, simulateTrace } from '../../../simulate/simulate-trace';
import type { CalibratedLevel } from '../../../src/planner/sizing';
import { renderReplaySvg } from '../../../simulate/svg-plot';
import { formatTable } from '../format-table';
import { progressBar } from '../progress';
import { fileLabel, readSeriesFile } from '../read-series-file';

export interface SimulateCommandOptions {
  pool: string;
  /** Trace step; the file's own step when absent. */
  stepSeconds?: number;
  timezone: string;
  warmupSeconds?: number;
  prescale: Partial<PrescaleSettings>;
  json: boolean;
  plot?: string;
}

/**
 * `prescale simulate TRACE.csv|- --pool POOL.yaml [--step D] [--json] [--plot out.svg]`:
 * replays reactive HPA, schedule, fixed, Prescale and the oracle on the trace.
 */
export async function simulateCommand(file: string, options: SimulateCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const pool = loadPoolFile(options.pool);
  const trace = readSeriesFile(file, { stepSeconds: options.stepSeconds, kind: 'rate', timezone: options.timezone });
  const { stepSeconds } = trace;
  if (trace.values.length < 2) throw invalidInput(fileLabel(file), 'needs at least 2 steps');
  const bar = progressBar('simulate');
  const result = await simulateTrace(trace, pool, {
    prescale: options.prescale,
    ...(options.warmupSeconds === undefined ? {} : { warmupSeconds: options.warmupSeconds }),
    recordCapacity: options.plot !== undefined,
    onProgress: (done, total) => bar.update(done, total),
  }).finally(() => bar.stop());
  if (options.plot !== undefined) {
    const svg = renderReplaySvg({
      result,
      demand: trace.values,
      traceStartMs: trace.startMs,
      stepSeconds,
      capacityPerReplica: pool.capacityPerReplica,
      maxReplicas: pool.maxReplicas,
      timezone: options.timezone,
      title: fileLabel(file).split('/').pop() ?? file,
    });
    try {
      writeFileSync(options.plot, svg);
    } catch (err) {
      throw invalidInput('--plot', `cannot write ${options.plot}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  // Demand the pool's ceiling cannot serve makes every policy look alike: say so (stderr, and `warnings` in --json).
  const evalFrom = Math.floor((result.evaluationStartMs - trace.startMs) / (stepSeconds * 1000));
  const ceiling = capacityCeiling(trace.values, pool, evalFrom);
  if (ceiling.warning) err.write(`${ceiling.warning}\n`);
  const warnings = ceiling.warning ? { warnings: [ceiling.warning] } : {};
  const prices = poolPrices(pool);
  out.write(options.json ? `${JSON.stringify({ ...simulateJson(result, prices), ...warnings }, null, 2)}\n` : simulateTable(result, prices));
  return 0;
}

/**
 * The `--json` document: exactly the shape acceptance checks rely on (shares as fractions 0–1).
 * `expectedCost` only with `prices` (a pool that sets `underProvisionCost`: `poolPrices`);
 * `servedModels` (the kinds Prescale's scheduled fits served) when any fit served;
 * `decisionCalibration` (the level reached) when the pool sets `calibrateDecisions`.
 */
export function simulateJson(
  result: SimulationResult,
  prices: PoolPrices | null,
): { policies: Record<string, number | string>[]; servedModels?: Record<string, number>; decisionCalibration?: CalibratedLevel } {
  return {
    policies: result.policies.map(({ policy, metrics: m }) => ({
      policy,
      underProvisionedShare: m.underProvisionedShare,
      unservedShare: m.unservedShare,
      unservedReplicaHours: m.unservedReplicaHours,
      replicaHours: m.replicaHours,
      gpuHours: m.gpuHours,
      cost: m.cost,
      ...(prices ? { expectedCost: expectedCost(m, prices) } : {}),
      scalingActions: m.scalingActions,
      thetaU: m.thetaU,
      thetaO: m.thetaO,
      tauU: m.tauU,
      tauO: m.tauO,
    })),
    ...(Object.keys(result.servedModels).length > 0 ? { servedModels: result.servedModels } : {}),
    ...(result.decisionCalibration ? { decisionCalibration: result.decisionCalibration } : {}),
  };
}

function simulateTable(result: SimulationResult, prices: PoolPrices | null): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  // The expected cost is a column only where the pool prices a missing replica-hour.
  const header = ['policy', 'under-prov', 'unserved', 'θU', 'θO', 'τU', 'τO', 'replica-h', 'GPU-h', 'cost', ...(prices ? ['expected cost'] : []), 'actions'];
  const rows = result.policies.map(({ policy, metrics: m }) => [
    policy,
    pct(m.underProvisionedShare),
    pct(m.unservedShare),
    pct(m.thetaU),
    pct(m.thetaO),
    pct(m.tauU),
    pct(m.tauO),
    m.replicaHours.toFixed(1),
    m.gpuHours.toFixed(1),
    m.cost.toFixed(2),
    ...(prices ? [expectedCost(m, prices).toFixed(2)] : []),
    String(m.scalingActions),
  ]);
  const from = new Date(result.evaluationStartMs).toISOString();
  return `${formatTable([header, ...rows])}(evaluated from ${from}; earlier time trains the forecaster)\n${servedLine(result.servedModels)}${calibrationLine(result.decisionCalibration)}`;
}

/** Where decision calibration ended, e.g. `prescale decision calibration: q0.713, 9.1% of 812 binding decisions missed (the price asks 10%)`. */
function calibrationLine(c: CalibratedLevel | undefined): string {
  if (!c) return '';
  const share = c.scored > 0 ? `${((100 * c.missed) / c.scored).toFixed(1)}% of ${c.scored} binding decisions missed` : 'no binding decision scored';
  return `prescale decision calibration: q${c.level.toFixed(3)}, ${share} (the price asks ${(100 * c.missRate).toFixed(1)}%)\n`;
}

/** Which kinds Prescale's scheduled fits served (under --model auto, what each training chose), e.g. `seasonal ×20, mstl ×5`. */
function servedLine(served: Record<string, number>): string {
  const parts = Object.entries(served).map(([kind, fits]) => `${kind} ×${fits}`);
  return parts.length > 0 ? `prescale fits served: ${parts.join(', ')}\n` : '';
}
