import { Worker } from 'node:worker_threads';
import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { WorkerClient } from '../../../src/workers/worker-client';
import { workerScriptPath } from '../../../src/workers/worker-script-path';

type TestProtocol = {
  threadId: { request: null; reply: number };
  throwPrescale: { request: { code: string; message: string; field: string }; reply: never };
  throwShortHistory: { request: null; reply: never };
  exit: { request: number; reply: never };
  hang: { request: null; reply: never };
  count: { request: number; reply: string; progress: number };
  /** Waits until `parties` jobs have arrived at the shared counter; replies whether they all did before `timeoutMs`. */
  rendezvous: { request: { shared: SharedArrayBuffer; parties: number; timeoutMs: number }; reply: boolean };
};

// A real worker thread running the compiled serveWorkerRequests (the build in dist/, like the
// service's own workers), with handlers that throw, exit, hang and meet.
const dist = (m: string): string => JSON.stringify(workerScriptPath(m));
const TEST_WORKER = `
  const { parentPort, threadId } = require('node:worker_threads');
  const { serveWorkerRequests } = require(${dist('src/workers/serve-worker-requests')});
  const { PrescaleError } = require(${dist('src/errors/prescale-error')});
  const { InsufficientHistoryError } = require(${dist('models/core/forecaster')});
  serveWorkerRequests(parentPort, {
    threadId: async () => threadId,
    throwPrescale: async (r) => { throw new PrescaleError(r.code, r.message, r.field); },
    throwShortHistory: async () => { throw new InsufficientHistoryError('seasonal', 3, 2); },
    exit: async (code) => process.exit(code),
    hang: () => new Promise(() => {}),
    count: async (n, progress) => { for (let i = 1; i <= n; i++) progress(i); return 'counted'; },
    rendezvous: async ({ shared, parties, timeoutMs }) => {
      const counter = new Int32Array(shared);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
      const deadline = Date.now() + timeoutMs;
      for (let seen; (seen = Atomics.load(counter, 0)) < parties; ) {
        if (Date.now() >= deadline || Atomics.wait(counter, 0, seen, deadline - Date.now()) === 'timed-out') return false;
      }
      return true;
    },
  });
`;

describe('WorkerClient', () => {
  let client: WorkerClient<TestProtocol>;
  let started: number;
  const makeClient = (slots: number): WorkerClient<TestProtocol> => {
    started = 0;
    client = new WorkerClient<TestProtocol>({ name: 'test worker', slots, startWorker: () => (started++, new Worker(TEST_WORKER, { eval: true })) });
    return client;
  };
  afterEach(() => client.close());

  it('revives a PrescaleError thrown in the worker as a PrescaleError, with its code and field', async () => {
    makeClient(1);

    const run = client.request('throwPrescale', { code: 'INVALID_INPUT', message: 'body[3].v: not a number', field: 'body[3].v' });

    await expect(run).rejects.toBeInstanceOf(PrescaleError);
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'body[3].v', message: 'body[3].v: not a number' });
  });

  it('revives too little history as an InsufficientHistoryError', async () => {
    makeClient(1);

    const run = client.request('throwShortHistory', null);

    await expect(run).rejects.toBeInstanceOf(InsufficientHistoryError);
    await expect(run).rejects.toMatchObject({ model: 'seasonal', required: 3, actual: 2 });
  });

  it('when a worker exits, its pending jobs fail and the next job runs on a fresh worker', async () => {
    makeClient(1);
    const before = await client.request('threadId', null);

    const outcomes = await Promise.allSettled([client.request('hang', null), client.request('exit', 3)]);

    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('test worker exited with code 3') },
      { status: 'rejected', reason: new Error('test worker exited with code 3') },
    ]);
    const after = await client.request('threadId', null);
    expect(after).not.toBe(before);
    expect(started).toBe(2);
  });

  it('with N slots runs N jobs at the same time', async () => {
    makeClient(3);
    const shared = new SharedArrayBuffer(4);

    const met = await Promise.all([1, 2, 3].map(() => client.request('rendezvous', { shared, parties: 3, timeoutMs: 20_000 })));

    expect(met).toEqual([true, true, true]);
    expect(started).toBe(3);
  });

  it('with one slot runs jobs one after another (the rendezvous above can tell)', async () => {
    makeClient(1);
    const shared = new SharedArrayBuffer(4);

    const met = await Promise.all([1, 2].map(() => client.request('rendezvous', { shared, parties: 2, timeoutMs: 300 })));

    // The first job waits alone and gives up; the second finds the first one's arrival.
    expect(met).toEqual([false, true]);
  });

  it('hands each progress report to the job that made it, before its reply', async () => {
    makeClient(1);
    const seen: number[] = [];

    const reply = await client.request('count', 3, (n) => seen.push(n));

    expect(reply).toBe('counted');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('on close fails the jobs still pending and refuses new ones', async () => {
    makeClient(2);
    await client.request('threadId', null);
    const stuck = expect(client.request('hang', null)).rejects.toThrow('test worker pool closed');

    await client.close();

    await stuck;
    await expect(client.request('threadId', null)).rejects.toThrow('test worker pool is closed');
  });
});
