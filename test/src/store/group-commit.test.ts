import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type AppendItem, GroupCommit } from '../../../src/store/group-commit';
import { SqliteSampleWrites } from '../../../src/store/sqlite-sample-writes';
import type { Sample } from '../../../src/series/sample';

// A real SQLite file in the store's modes (WAL, synchronous=FULL): the group commit must
// store every batch it acknowledges, in as few commits as the callers allow.

let dir: string;
let db: Database.Database;
let writes: SqliteSampleWrites;
let commits: number;
let group: GroupCommit;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-group-commit-'));
  db = new Database(join(dir, 'history.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE samples (series TEXT NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID');
  writes = new SqliteSampleWrites(db);
  commits = 0;
  group = new GroupCommit((items: readonly AppendItem[]) => {
    commits++;
    return writes.appendGroup(items);
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (series: string): number => (db.prepare('SELECT COUNT(*) AS n FROM samples WHERE series = ?').get(series) as { n: number }).n;

it('commits appends made in the same turn together, and each caller learns its own changed count', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => group.append({ series: `s${i}`, samples: [{ t: 1000, v: i }, { t: 2000, v: i }] })));
  expect(commits).toBe(1);
  expect(results).toEqual(Array.from({ length: 20 }, () => 2));
  for (let i = 0; i < 20; i++) expect(count(`s${i}`)).toBe(2);
  // A re-send of the same values changes nothing; a new value changes one.
  await expect(group.append({ series: 's0', samples: [{ t: 1000, v: 0 }, { t: 2000, v: 7 }] })).resolves.toBe(1);
  expect(commits).toBe(2);
});

it('fails only the batch the database refuses; the others in its commit are stored', async () => {
  const bad = [{ t: 1000, v: null }] as unknown as Sample[];
  const [ok1, refused, ok2] = await Promise.allSettled([
    group.append({ series: 'a', samples: [{ t: 1000, v: 1 }] }),
    group.append({ series: 'b', samples: [{ t: 1000, v: 1 }, ...bad] }),
    group.append({ series: 'c', samples: [{ t: 1000, v: 3 }] }),
  ]);
  expect(commits).toBe(1);
  expect(ok1).toEqual({ status: 'fulfilled', value: 1 });
  expect(ok2).toEqual({ status: 'fulfilled', value: 1 });
  expect(refused.status).toBe('rejected');
  expect(String((refused as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
  // The refused batch rolled back whole, including its valid first sample.
  expect([count('a'), count('b'), count('c')]).toEqual([1, 0, 1]);
});

it('appends made while a commit runs wait for the next one', async () => {
  const first = group.append({ series: 'a', samples: [{ t: 1, v: 1 }] });
  await first;
  const later = await Promise.all([group.append({ series: 'a', samples: [{ t: 2, v: 1 }] }), group.append({ series: 'b', samples: [{ t: 2, v: 1 }] })]);
  expect(later).toEqual([1, 1]);
  expect(commits).toBe(2);
  expect(group.waiting).toBe(0);
});

it('settles each caller from an asynchronous commit, and does not hold the next group back', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const groups: string[][] = [];
  const asyncGroup = new GroupCommit(async (items) => {
    groups.push(items.map((i) => i.series));
    if (groups.length === 1) await held;
    return items.map((i) => (i.series === 'bad' ? { ok: false as const, error: new Error('refused') } : { ok: true as const, changed: i.samples.length }));
  });

  const first = Promise.allSettled([asyncGroup.append({ series: 'a', samples: [{ t: 1, v: 1 }] }), asyncGroup.append({ series: 'bad', samples: [] })]);
  await new Promise((r) => setImmediate(r));
  // The first commit is still running: the next append commits on its own.
  await expect(asyncGroup.append({ series: 'c', samples: [{ t: 1, v: 1 }, { t: 2, v: 1 }] })).resolves.toBe(2);
  release();

  const [a, bad] = await first;
  expect(a).toEqual({ status: 'fulfilled', value: 1 });
  expect(String((bad as PromiseRejectedResult).reason)).toMatch(/refused/);
  expect(groups).toEqual([['a', 'bad'], ['c']]);
});

it('rejects every caller of a group whose asynchronous commit fails', async () => {
  const failing = new GroupCommit(() => Promise.reject(new Error('connection lost')));
  const settled = await Promise.allSettled([failing.append({ series: 'a', samples: [] }), failing.append({ series: 'b', samples: [] })]);
  expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/connection lost/);
});
