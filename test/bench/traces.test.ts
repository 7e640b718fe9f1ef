import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACES_DIR, loadTrace, loadTraces, traceDir } from '../../bench/lib/traces';

/** The benchmarks' trace loader: what an evaluation set in $PRESCALE_DATA is read as. */
describe('bench traces', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-traces-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const csv = (minutes: readonly number[]): string =>
    ['timestamp,value', ...minutes.map((m, i) => `${new Date(Date.UTC(2026, 0, 1) + m * 60_000).toISOString()},${i + 1}`)].join('\n');

  it('puts a trace that starts with an outage on its own step, not on the first gap', () => {
    // A day missing after the first sample, then 5-minute samples.
    writeFileSync(join(dir, 'gappy.csv'), csv([0, 1440, 1445, 1450, 1455, 1460]));

    const { series } = loadTrace('gappy', dir);

    expect(series.stepSeconds).toBe(300);
    expect(series.values).toHaveLength(1460 / 5 + 1);
    expect(series.values[0]).toBe(1);
    expect(series.values[1]).toBeNaN();
    expect(series.values[series.values.length - 1]).toBe(6);
  });

  it('names the file and line of a bad row', () => {
    writeFileSync(join(dir, 'bad.csv'), 'timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,many\n');

    expect(() => loadTrace('bad', dir)).toThrow(/bad\.csv.*line 3/);
  });

  it('reads $PRESCALE_DATA when set, else the shipped traces', () => {
    const saved = process.env['PRESCALE_DATA'];
    try {
      delete process.env['PRESCALE_DATA'];
      expect(traceDir()).toBe(TRACES_DIR);
      process.env['PRESCALE_DATA'] = dir;
      writeFileSync(join(dir, 'b.csv'), csv([0, 1, 2]));
      writeFileSync(join(dir, 'a.csv'), csv([0, 1, 2]));
      writeFileSync(join(dir, 'README.md'), 'not a trace');

      expect(loadTraces(traceDir()).map((t) => t.name)).toEqual(['a', 'b']);
    } finally {
      if (saved === undefined) delete process.env['PRESCALE_DATA'];
      else process.env['PRESCALE_DATA'] = saved;
    }
  });
});
