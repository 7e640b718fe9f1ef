import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AdvisorySample } from '../advisory/advisory-sample';
import type { DecisionRecord } from './decision-record';
import type { DecisionPage, DecisionQuery, DecisionStore } from './decision-store';

interface SampleRow {
  pool: string;
  t: number;
  planned: number;
  actual: number | null;
  with_prescale: number;
  demand: number | null;
}

/**
 * Decisions and advisory samples in one SQLite file (WAL, `synchronous=FULL`, like the history
 * store): a record is on disk when `append` returns. A decision is kept as its JSON with the
 * columns it is queried by; ids sort in time order, so paging is `id < continue`.
 */
export class SqliteDecisionStore implements DecisionStore {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS decisions (
        id TEXT PRIMARY KEY,
        pool TEXT NOT NULL,
        t INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        body TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS decisions_pool_id ON decisions (pool, id);
      CREATE TABLE IF NOT EXISTS advisory_samples (
        pool TEXT NOT NULL,
        t INTEGER NOT NULL,
        planned INTEGER NOT NULL,
        actual INTEGER,
        with_prescale INTEGER NOT NULL,
        demand REAL,
        PRIMARY KEY (pool, t)
      ) WITHOUT ROWID;
    `);
  }

  append(r: DecisionRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO decisions (id, pool, t, outcome, body) VALUES (?, ?, ?, ?, ?)').run(r.id, r.pool, Date.parse(r.time), r.outcome, JSON.stringify(r));
  }

  list(q: DecisionQuery): DecisionPage {
    const filters: [string, string | number | undefined][] = [
      ['pool = ?', q.pool],
      ['t >= ?', q.sinceMs],
      ['outcome = ?', q.outcome],
      ['id < ?', q.continue],
    ];
    const used = filters.filter((f): f is [string, string | number] => f[1] !== undefined);
    const where = used.map(([clause]) => clause);
    const args = used.map(([, value]) => value);
    const sql = `SELECT body FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    // One more than asked tells whether another page exists.
    const rows = this.db.prepare(sql).all(...args, q.limit + 1) as { body: string }[];
    const items = rows.slice(0, q.limit).map((row) => JSON.parse(row.body) as DecisionRecord);
    const last = items[items.length - 1];
    return rows.length > q.limit && last ? { items, continue: last.id } : { items };
  }

  latestAt(pool: string, atMs: number): DecisionRecord | null {
    const row = this.db.prepare('SELECT body FROM decisions WHERE pool = ? AND t <= ? ORDER BY id DESC LIMIT 1').get(pool, atMs) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as DecisionRecord) : null;
  }

  appendSample(s: AdvisorySample): void {
    this.db
      .prepare('INSERT OR REPLACE INTO advisory_samples (pool, t, planned, actual, with_prescale, demand) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.pool, s.t, s.planned, s.actual, s.withPrescale, s.demand);
  }

  samples(pool: string, fromMs: number, toMs: number): AdvisorySample[] {
    const rows = this.db.prepare('SELECT * FROM advisory_samples WHERE pool = ? AND t >= ? AND t <= ? ORDER BY t').all(pool, fromMs, toMs) as SampleRow[];
    return rows.map((r) => ({ pool: r.pool, t: r.t, planned: r.planned, actual: r.actual, withPrescale: r.with_prescale, demand: r.demand }));
  }

  close(): void {
    this.db.close();
  }
}
