import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The nice value of the forecast workers, which fit and condition models, and of the
 * PostgreSQL history worker, which parses what a refresh reads: batch work, below
 * the serving thread (nice 0). With every core busy (a first-fit backlog), the kernel then
 * runs the serving thread first when a request arrives, so a metric read does not wait a time
 * slice behind a fit; an idle core still runs the fits at full speed. Training workers stay at
 * nice 0: a training run of minutes must finish on a busy machine too (beside other busy
 * processes a nice-10 training thread got so small a share of a core that a training test ran
 * past its 60 s timeout), and `training.workers` bounds them already.
 */
export const BATCH_THREAD_NICE = 10;

/**
 * Lowers the calling thread's CPU priority (Linux: `/proc/thread-self` names the thread, and
 * `setpriority` on a thread id applies to that thread only). Elsewhere, or where the process
 * may not change it, nothing happens: the priority is an optimisation, never a requirement.
 * Returns whether it was applied.
 */
export function yieldCpuToServing(nice = BATCH_THREAD_NICE): boolean {
  try {
    const tid = /task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1];
    if (tid === undefined) return false;
    // Never raise it: a service started under `nice` keeps its threads at least that low.
    setPriority(Number(tid), Math.max(nice, getPriority(Number(tid))));
    return true;
  } catch {
    return false;
  }
}
