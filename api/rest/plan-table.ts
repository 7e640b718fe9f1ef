import type { PoolPlanView } from '../../src/planner/plan-service';

/**
 * A pool's plan as a plain-text table, one row per step where the value or the deciding
 * term changes (plus the first and last step), so an hour at 1-minute steps stays readable.
 */
export function planTable(view: PoolPlanView, options: { allSteps?: boolean } = {}): string {
  const header = `pool ${view.pool} — series ${view.forecast.series} at q${view.forecast.quantile}` + (view.forecast.unavailable ? ` (no forecast: ${view.forecast.unavailable})` : view.forecast.stale ? ' (stale forecast)' : '');
  const rows: string[][] = [['time (UTC)', 'replicas', 'reason', 'detail']];
  view.steps.forEach((s, i) => {
    const prev = view.steps[i - 1];
    const last = i === view.steps.length - 1;
    if (!options.allSteps && prev && !last && prev.replicas === s.replicas && prev.reason.term === s.reason.term) return;
    rows.push([new Date(s.t).toISOString().slice(0, 16).replace('T', ' '), String(s.replicas), s.reason.term, s.reason.detail]);
  });
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const lines = rows.map((r) => [(r[0] as string).padEnd(widths[0] as number), (r[1] as string).padStart(widths[1] as number), (r[2] as string).padEnd(widths[2] as number), r[3]].join('  ').trimEnd());
  return `${header}\n${lines.join('\n')}\n`;
}
