/**
 * `prescale simulate` warns when the pool's ceiling (maxReplicas × capacityPerReplica) caps
 * demand for a share of the trace, and its SVG has a time axis, a legend and units (issue 16
 * item 7). Real parts: a shipped trace (3 days of the hourly purchase trace) written to a CSV,
 * a pool YAML file, the simulate command, the written SVG.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { simulateCommand } from '../../main/cli/commands/simulate-command';
import { capacityCeiling } from '../../simulate/capacity-ceiling';
import { TRACE_DIR } from '../helpers/trace-file';

const lines = readFileSync(join(TRACE_DIR, 'mscm_purchase_count_04.csv'), 'utf8').trim().split('\n');
const values = lines.slice(1).map((l) => Number(l.split(',')[1]));

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    text: () => text,
  };
}

describe('the capacity ceiling', () => {
  it('reports the share of steps above maxReplicas × capacityPerReplica and warns above 1 %', () => {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // A ceiling at the median load caps about half the trace.
    const capped = capacityCeiling(values, { capacityPerReplica: median / 4, maxReplicas: 4 });
    expect(capped.share).toBeGreaterThan(0.4);
    expect(capped.share).toBeLessThan(0.6);
    expect(capped.warning).toMatch(/maxReplicas × capacityPerReplica \(4 × [\d.]+ = [\d.]+\) on \d+\.\d% of the evaluated trace steps/);
    const roomy = capacityCeiling(values, { capacityPerReplica: sorted[sorted.length - 1]!, maxReplicas: 2 });
    expect(roomy.share).toBe(0);
    expect(roomy.warning).toBeUndefined();
  });
});

describe('prescale simulate output', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'simulate-ceiling-'));
    writeFileSync(join(dir, 'trace.csv'), `${lines.slice(0, 1 + 3 * 24).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(pool: string, json: boolean): Promise<{ out: string; err: string; svg: string }> {
    writeFileSync(join(dir, 'pool.yaml'), pool);
    const out = sink();
    const err = sink();
    const plot = join(dir, 'plot.svg');
    const code = await simulateCommand(
      join(dir, 'trace.csv'),
      { pool: join(dir, 'pool.yaml'), timezone: 'UTC', json, plot, prescale: { model: 'seasonal-naive' }, warmupSeconds: 86_400 },
      out.stream,
      err.stream,
    );
    expect(code).toBe(0);
    return { out: out.text(), err: err.text(), svg: readFileSync(plot, 'utf8') };
  }

  it('warns on stderr and in --json when the ceiling caps demand', async () => {
    const { out, err } = await run('capacityPerReplica: 1\nmaxReplicas: 2\nleadTime: 3m\n', true);
    expect(err).toMatch(/^warning: demand is above maxReplicas × capacityPerReplica \(2 × 1 = 2\) on \d+\.\d% /);
    const doc = JSON.parse(out) as { warnings?: string[]; policies: unknown[] };
    expect(doc.warnings?.[0]).toContain('every policy is under-provisioned there');
    expect(doc.policies).toHaveLength(5);
  }, 120_000);

  it('is silent when the pool can serve the trace, and the plot has a time axis, a legend and units', async () => {
    const { err, svg } = await run('capacityPerReplica: 50\nmaxReplicas: 60\nleadTime: 3m\n', false);
    expect(err).not.toContain('warning');
    // Dated ticks in the trace's time (the trace starts 2018-03-15; evaluation from the second day).
    const ticks = [...svg.matchAll(/<text class="time-tick"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]!);
    expect(ticks.length).toBeGreaterThanOrEqual(5 * 7);
    expect(ticks[0]).toMatch(/^2018-03-16 \d{2}:\d{2}$/);
    expect(svg).toContain('time (UTC)');
    expect(svg).toContain('<g class="legend">');
    for (const label of ['demand', 'Ready capacity', 'under-provisioned', 'maxReplicas × capacityPerReplica']) expect(svg).toContain(label);
    expect(svg).toContain('one replica serves 50');
    expect(svg).toMatch(/class="y-unit"[^>]*>load \(trace unit\)</);
  }, 120_000);
});
