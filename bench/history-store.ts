/**
 * `npm run bench:history-store [SERIES]`: the history store on its own, PostgreSQL (a real
 * server: initdb + postgres on a loopback port, fsync on) against the embedded SQLite file
 * (the peer, measured in the same run): backfill through `append` (one 14-day batch per
 * series), the push path (one-sample appends), the refresh read (`readSteps`, one day on a
 * 1-minute step) and `last`.
 *
 * Data: the real 14-day, 1-minute trace mscm_mongodb_machine_qps from test/data/traces,
 * scaled by 1 + i/SERIES for series i.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDatabase } from '../src/postgres/postgres-database';
import type { Sample } from '../src/series/sample';
import type { HistoryStore } from '../src/store/history-store';
import { PostgresHistoryStore } from '../src/store/postgres-history-store';
import { SqliteHistoryStore } from '../src/store/sqlite-history-store';
import { TRACES_DIR } from './lib/traces';
import { RealPostgres } from './support/real-postgres';

const SERIES = Number(process.argv[2] ?? 100);
const PUSHES = 500;
const READS = 300;

function readTrace(): Sample[] {
  return readFileSync(join(TRACES_DIR, 'mscm_mongodb_machine_qps.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const [ts, value] = line.split(',');
      const v = Number(value);
      return value === '' || !Number.isFinite(v) ? [] : [{ t: Date.parse(ts as string), v }];
    });
}

interface Row {
  backend: string;
  backfillSeconds: number;
  samplesPerSecond: number;
  push: [number, number];
  readSteps: [number, number];
  last: [number, number];
}

function p50p99(ms: number[]): [number, number] {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return [at(0.5), at(0.99)];
}

async function timed(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run(i);
    ms.push(performance.now() - start);
  }
  return ms;
}

async function measure(backend: string, store: HistoryStore, trace: Sample[]): Promise<Row> {
  const start = performance.now();
  // Four writers at once, as pushes from several clients (or replicas) arrive.
  const queue = Array.from({ length: SERIES }, (_, i) => i);
  const writer = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const scale = 1 + i / SERIES;
      await store.append(`s${i}`, trace.map((s) => ({ t: s.t, v: s.v * scale })));
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  const backfillSeconds = (performance.now() - start) / 1000;
  const endMs = (trace.at(-1) as Sample).t;
  const push = await timed(PUSHES, (i) => store.append(`s${i % SERIES}`, [{ t: endMs + 60_000 * (1 + Math.floor(i / SERIES)), v: i }]));
  const readSteps = await timed(READS, (i) => store.readSteps(`s${i % SERIES}`, { fromMs: endMs - 86_400_000, toMs: endMs, stepSeconds: 60, kind: 'rate', timezone: 'UTC' }));
  const last = await timed(READS, (i) => store.last(`s${i % SERIES}`));
  return { backend, backfillSeconds, samplesPerSecond: (SERIES * trace.length) / backfillSeconds, push: p50p99(push), readSteps: p50p99(readSteps), last: p50p99(last) };
}

async function main(): Promise<void> {
  const trace = readTrace();
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-store-'));
  const pg = new RealPostgres();
  try {
    const sqlite = new SqliteHistoryStore(join(dir, 'history.sqlite'));
    rows.push(await measure('SQLite file (peer, embedded)', sqlite, trace));
    sqlite.close();
    await pg.start();
    const db = PostgresDatabase.open(await pg.createDatabase('bench'));
    const postgres = new PostgresHistoryStore(db);
    rows.push(await measure('PostgreSQL (shared by replicas)', postgres, trace));
    postgres.close();
    await db.close();
  } finally {
    await pg.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = ([a, b]: [number, number]): string => `${a.toFixed(2)} / ${b.toFixed(2)}`;
  console.log(`\nhistory store: ${SERIES} series x ${trace.length} samples (14 days at 1 minute), 4 concurrent writers\n`);
  console.log('| backend | backfill s | samples/s | push 1 sample p50/p99 ms | readSteps 1 d p50/p99 ms | last p50/p99 ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.backend} | ${r.backfillSeconds.toFixed(1)} | ${Math.round(r.samplesPerSecond).toLocaleString('en')} | ${ms(r.push)} | ${ms(r.readSteps)} | ${ms(r.last)} |`);
}

void main();
