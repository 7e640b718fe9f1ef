import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatTable } from '../main/cli/format-table';
import { advisoryReport } from '../simulate/advisory-measures';
import { ElasticityAccumulator } from '../simulate/elasticity-metrics';
import { FileAuditLog } from '../src/actuator/audit-log';
import type { AdvisorySample } from '../src/advisory/advisory-sample';
import { parseConfig } from '../src/config/load-config';
import { DecisionIds } from '../src/decisions/decision-id';
import type { DecisionRecord } from '../src/decisions/decision-record';
import { SqliteDecisionStore } from '../src/decisions/sqlite-decision-store';

/**
 * bench:decisions — the cost of keeping decisions durable and reporting on them:
 * - appending one decision record (SQLite, WAL, synchronous=FULL) against the peer in the same
 *   run, one JSON line appended with appendFileSync (the audit log, which the actuator writes anyway);
 * - reading one page of 100 (newest first, and deep with `continue`) from 20,000 records;
 * - the advisory report over 24 h and 7 d of 30 s samples, against the peer: the bare
 *   simulator accumulator over the same samples (no lead-time lookup, no record handling).
 */
const T0 = Date.parse('2026-12-01T00:00:00Z');
const APPENDS = 2000;
const RECORDS = 20_000;

function record(id: string, i: number): DecisionRecord {
  return {
    id,
    time: new Date(T0 + i * 30_000).toISOString(),
    pool: `pool-${i % 10}`,
    mode: 'advisory',
    target: { kind: 'HorizontalPodAutoscaler', namespace: 'prod', name: `hpa-${i % 10}`, field: 'spec.minReplicas' },
    stepTime: new Date(T0 + i * 30_000).toISOString(),
    from: 3,
    to: 4,
    outcome: 'advisory',
    who: 'prescale-0',
    inputs: {
      series: 'rps',
      model: 'seasonal',
      forecastAt: new Date(T0).toISOString(),
      quantile: 0.9,
      quantileReason: 'pools[].quantile',
      leadTimeSeconds: 300,
      observedDemand: 120,
      observedAt: new Date(T0).toISOString(),
      forecastReplicas: 4,
      stale: false,
      quotas: { maxGpus: 30, maxCostPerHour: null, maxStepUp: null, resourceQuotaGpus: null, plannedGpus: 12, plannedCostPerHour: 0 },
      boundBy: { term: 'forecast', detail: 'load 130 at 2026-12-01T00:05:00Z × 1.1 / 40 per replica = 4', values: { load: 130, capacityPerReplica: 40, headroom: 0.1 } },
    },
  };
}

function timeEach(n: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - start) * 1000) / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-decisions-'));
  const rows: string[][] = [];
  try {
    const store = new SqliteDecisionStore(join(dir, 'decisions.sqlite'));
    const audit = new FileAuditLog(join(dir, 'audit.jsonl'));
    const ids = new DecisionIds();
    const made = Array.from({ length: RECORDS }, (_, i) => record(ids.next(T0 + i * 30_000), i));
    const sqliteUs = timeEach(APPENDS, (i) => store.append(made[i] as DecisionRecord));
    const jsonlUs = timeEach(APPENDS, (i) => audit.record({ time: '', who: 'p', mode: 'advisory', action: 'would-set', pool: 'p', target: { kind: 'Deployment', namespace: 'n', name: 'x', field: 'f' }, from: 1, to: 2, why: { term: 'forecast', detail: JSON.stringify(made[i]) } }));
    rows.push(['append one decision (SQLite, synchronous=FULL)', sqliteUs.toFixed(1), 'µs/op']);
    rows.push(['peer: append one JSON line (appendFileSync)', jsonlUs.toFixed(1), 'µs/op']);
    for (let i = APPENDS; i < RECORDS; i++) store.append(made[i] as DecisionRecord);
    const newest = median(Array.from({ length: 50 }, () => timeEach(1, () => store.list({ limit: 100 }))));
    const deep = median(Array.from({ length: 50 }, () => timeEach(1, () => store.list({ limit: 100, pool: 'pool-3', continue: (made[RECORDS / 2] as DecisionRecord).id }))));
    rows.push([`list newest 100 of ${RECORDS}`, newest.toFixed(0), 'µs']);
    rows.push([`list 100 of one pool from the middle (continue)`, deep.toFixed(0), 'µs']);
    store.close();

    const pool = parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [{ name: 'p', series: 'rps', capacityPerReplica: 40, maxReplicas: 100 }] }).pools[0]!;
    for (const [label, days] of [['24 h', 1], ['7 d', 7]] as const) {
      const n = (days * 86_400) / 30;
      const samples: AdvisorySample[] = Array.from({ length: n }, (_, i) => {
        const demand = 200 + 150 * Math.sin((2 * Math.PI * i) / 2880);
        return { pool: 'p', t: T0 + i * 30_000, planned: Math.ceil((demand * 1.1) / 40), actual: Math.ceil(demand / 40), withPrescale: Math.ceil((demand * 1.1) / 40), demand };
      });
      // Warm up both (JIT) before timing, so the first size does not pay for compilation.
      for (let w = 0; w < 3; w++) advisoryReport({ pool, samples, fromMs: T0, toMs: T0 + days * 86_400_000, maxSampleSeconds: 60 });
      const report = median(Array.from({ length: 9 }, () => timeEach(1, () => advisoryReport({ pool, samples, fromMs: T0, toMs: T0 + days * 86_400_000, maxSampleSeconds: 60 }))));
      const peer = median(
        Array.from({ length: 9 }, () =>
          timeEach(1, () => {
            const acc = new ElasticityAccumulator(pool);
            for (const s of samples) acc.add(s.demand ?? 0, s.actual ?? 0, s.actual ?? 0, 30);
            acc.finish();
          }),
        ),
      );
      rows.push([`advisory report, ${label} of 30 s samples (${n})`, (report / 1000).toFixed(2), 'ms']);
      rows.push([`peer: bare accumulator, same samples`, (peer / 1000).toFixed(2), 'ms']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(formatTable([['measure', 'value', 'unit'], ...rows]));
}

main();
