import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { GroupCommit } from './group-commit';
import { SqliteSampleWrites } from './sqlite-sample-writes';
import type { HistoryWriteProtocol } from './worker-history-writer';

interface Writer {
  writes: SqliteSampleWrites;
  group: GroupCommit;
}

// One read-write connection per file for the worker's lifetime, in the same modes as the
// store's own (WAL, synchronous=FULL: a commit is on disk when its reply is posted).
const writers = new Map<string, Writer>();

function writer(file: string): Writer {
  let w = writers.get(file);
  if (!w) {
    const db = new Database(file, { fileMustExist: true });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const writes = new SqliteSampleWrites(db);
    w = { writes, group: new GroupCommit((items) => writes.appendGroup(items)) };
    writers.set(file, w);
  }
  return w;
}

/** Worker-thread entry: answers the writes posted by {@link WorkerHistoryWriter}. */
serveWorkerRequests<HistoryWriteProtocol>(parentPort, {
  append: ({ file, series, samples }) => writer(file).group.append({ series, samples }),
  deleteBefore: ({ file, series, beforeMs }) => Promise.resolve(writer(file).writes.deleteBefore(series, beforeMs)),
});
