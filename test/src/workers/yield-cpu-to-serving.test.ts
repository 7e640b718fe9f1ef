import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BATCH_THREAD_NICE } from '../../../src/workers/yield-cpu-to-serving';
import { workerScriptPath } from '../../../src/workers/worker-script-path';

/** The nice value of one thread of this process, from /proc (field 19 of `stat`, after the command in parentheses). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

it('lowers the priority of the thread that calls it, and of that thread only', async () => {
  const mainBefore = niceOf(process.pid);
  const script = `
    const { parentPort } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    const applied = require(${JSON.stringify(workerScriptPath('src/workers/yield-cpu-to-serving'))}).yieldCpuToServing();
    parentPort.postMessage({ applied, tid: Number(/task\\/(\\d+)$/.exec(readlinkSync('/proc/thread-self'))[1]) });
    setTimeout(() => {}, 2000);
  `;
  const worker = new Worker(script, { eval: true });
  try {
    const { applied, tid } = await new Promise<{ applied: boolean; tid: number }>((resolve) => worker.once('message', resolve));
    expect(applied).toBe(true);
    expect(niceOf(tid)).toBe(Math.max(BATCH_THREAD_NICE, mainBefore));
    expect(niceOf(process.pid)).toBe(mainBefore);
  } finally {
    await worker.terminate();
  }
});
