/**
 * `npm run bench:reliability`: the reliability suite of issue 12, against a real
 * `prescale serve` (dist/) on 127.0.0.1 only. Four parts, one table each, then a summary:
 * 1. kill -9 during concurrent pushes, 2. kill -9 during train/promote/rollback,
 * 3. fuzzed requests against REST and the aggregated API over TLS, 4. the source fault matrix.
 * It reports what it finds and exits 0 (1 only when the suite itself fails).
 *
 * Environment (RELIABILITY_*): KILLS (100), PUSHERS (4), MODEL_KILLS (30), FUZZ (100000),
 * CONCURRENCY (32), HANG_MS (5000), FAULT_WAIT_S (20), SLOW_S (8), HUGE_MB (600), SEED (12),
 * PARTS (1234: the parts to run), BUDGET_S (900: per part, new cycles stop after it).
 */
import { faultMatrix } from './fault-matrix';
import { fuzzRequests } from './fuzz-requests';
import { killDuringModelChanges } from './kill-models';
import { killDuringPushes } from './kill-pushes';
import { envNumber } from './random';
import { printTable } from './table';

const seed = envNumber('SEED', 12);
const parts = process.env['RELIABILITY_PARTS'] ?? '1234';
const budgetMs = envNumber('BUDGET_S', 900) * 1000;

async function main(): Promise<void> {
  const problems: string[] = [];
  const summary: string[][] = [];
  const note = (part: string, found: Array<[boolean, string]>): void => {
    const hits = found.filter(([bad]) => bad).map(([, what]) => what);
    problems.push(...hits.map((h) => `${part}: ${h}`));
    summary.push([part, hits.length === 0 ? 'ok' : `${hits.length} problem(s)`]);
  };
  console.log(`Prescale reliability suite, seed ${seed}, node ${process.version}`);

  if (parts.includes('1')) {
    const r = await killDuringPushes({ kills: envNumber('KILLS', 100), pushers: envNumber('PUSHERS', 4), seed, budgetMs });
    printTable(`1. kill -9 during concurrent pushes (${envNumber('PUSHERS', 4)} pushers, ${r.seconds.toFixed(0)} s)`,
      ['kills', 'acknowledged', 'lost', 'corrupted', 'in flight', 'in flight stored', 'refused', 'start failures'],
      [[r.kills, r.acknowledged, r.lost, r.corrupted, r.inFlight, r.inFlightStored, r.refused, r.startFailures].map(String)]);
    note('1 kill/push', [[r.lost > 0, `${r.lost} acknowledged samples lost`], [r.corrupted > 0, `${r.corrupted} integrity check failures`], [r.startFailures > 0, 'a restart did not come up']]);
  }

  if (parts.includes('2')) {
    const r = await killDuringModelChanges({ kills: envNumber('MODEL_KILLS', 30), seed, budgetMs });
    printTable(`2. kill -9 during train/promote/rollback (one training run ${r.trainSeconds.toFixed(1)} s; ${r.seconds.toFixed(0)} s)`,
      ['kills', 'mid-training', 'trains', 'promotes', 'rollbacks', 'versions', 'registry unreadable', 'served unpromoted', 'half-written', 'promoted not served', 'tmp left', 'start failures'],
      [[r.kills, r.killsMidTraining, r.trainsStarted, r.promotes, r.rollbacks, r.versions, r.registryUnreadable, r.servedUnpromoted, r.halfWritten, r.promotedNotServed, r.tmpLeftovers, r.startFailures].map(String)]);
    note('2 kill/models', [[r.registryUnreadable > 0, 'registry unreadable after a restart'], [r.servedUnpromoted > 0, 'served a version never promoted'],
      [r.halfWritten > 0, 'served a half-written version'], [r.promotedNotServed > 0, 'promoted model not serving after restart'], [r.startFailures > 0, 'a restart did not come up']]);
  }

  if (parts.includes('3')) {
    const r = await fuzzRequests({ requests: envNumber('FUZZ', 100_000), concurrency: envNumber('CONCURRENCY', 32), seed, hangMs: envNumber('HANG_MS', 5000) });
    printTable(`3. fuzzed requests (REST + aggregated API over TLS, concurrency ${envNumber('CONCURRENCY', 32)}, ${r.seconds.toFixed(0)} s, ${(r.requests / r.seconds).toFixed(0)} req/s)`,
      ['requests', '2xx', '3xx', '4xx', '5xx', 'other 5xx', 'hangs', 'socket errors', 'not sent', 'crashes', 'canary changed', 'RSS before MB', 'RSS after MB'],
      [[r.requests, r.byClass['2xx'], r.byClass['3xx'], r.byClass['4xx'], r.byClass['5xx'], r.undocumented5xx, r.hangs, r.socketErrors, r.notSent, r.crashes, r.canaryChanged ? 'yes' : 'no', r.rssBeforeMb.toFixed(0), r.rssAfterMb.toFixed(0)].map(String)]);
    console.log(`  socket errors by code: ${JSON.stringify(r.socketCodes)}`);
    for (const e of r.examples) console.log(`  ${e}`);
    note('3 fuzz', [[r.undocumented5xx > 0, `${r.undocumented5xx} answers 5xx other than the documented 503 FORECAST_NOT_READY`], [r.hangs > 0, `${r.hangs} hangs`], [r.crashes > 0, `${r.crashes} crashes`], [r.canaryChanged, 'canary data changed']]);
  }

  if (parts.includes('4')) {
    const watchMs = envNumber('FAULT_WAIT_S', 20) * 1000;
    const rows = await faultMatrix({ watchMs, slowMs: envNumber('SLOW_S', 8) * 1000, hugeBytes: envNumber('HUGE_MB', 600) * 1024 * 1024 });
    const s = (v: number | null): string => (v === null ? 'never' : `${v}`);
    printTable(`4. source fault matrix (each fault watched up to ${watchMs / 1000} s; source timeout 5s, 1 retry)`,
      ['fault', 'pulls', 'exited', '/healthz ok', 'max ms', 'healthy forecast s', '/readyz 200 s', 'state', 'error shown', 'in /readyz', 'secret leaked', 'note'],
      rows.map((r) => [r.fault, String(r.pulls), r.exited ?? 'no', `${r.healthzAnswered}/${r.healthzAsked}`, String(r.healthzMaxMs), s(r.healthyForecastS), s(r.readyS), r.state,
        r.errorShown ? 'yes' : 'no', r.inReadyz ? 'yes' : 'no', r.secretLeaked ? 'YES' : 'no', r.note]));
    for (const r of rows) {
      note(`4 ${r.fault}`, [[r.exited !== null, `service exited (${r.exited})`], [r.healthzAnswered < r.healthzAsked, '/healthz unanswered'], [r.healthyForecastS === null, 'no forecast for the healthy series'],
        [r.readyS === null, '/readyz never 200'], [r.fault !== 'future' && !r.errorShown, 'fault not visible in /v1/status'], [r.secretLeaked, 'source password shown'], [r.note.startsWith('stored future'), r.note]]);
    }
  }

  printTable('Summary', ['part', 'result'], summary);
  console.log(problems.length === 0 ? '\nNo problems found.' : `\nProblems found (${problems.length}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
