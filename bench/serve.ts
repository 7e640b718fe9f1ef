/**
 * `npm run bench:serve`: the external metrics list path over TLS with keep-alive, as the HPA
 * calls it (front-proxy client certificate, X-Remote-* headers, a label selector), against a
 * bare Node https server returning the same bytes with the same TLS settings, in the same run.
 * Two phases per server: as fast as possible (closed loop), then 2,000 requests per second
 * evenly spaced (open loop, latency from when each request was due; see lib/tls-load.ts).
 * BENCH_ROUNDS rounds (5), each BENCH_MAX_S seconds (5) as fast as possible and BENCH_FIXED_S
 * seconds (15) at the fixed rate; medians are shown. The fixed-rate phase is longer because
 * its p99 is the goal: over 5 s, one 50 ms stall of this shared VM is 1% of the requests.
 *
 * On a machine with two or more cores, the load generator is pinned to CPU 0 and each server
 * to CPU 1 (taskset), so the client never steals the server's core and the numbers say what
 * one core of server can do; BENCH_PIN=0 turns that off. Each server also reports its own CPU
 * time, so the table shows CPU microseconds per request, which does not depend on the client.
 */
import { execFileSync, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:https';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type LoadResult, runLoad } from './lib/tls-load';
import { makeServingPki } from './support/serving-pki';

const PATH = '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth?labelSelector=aggregate%3Dmax%2Chorizon%3D10m%2Cquantile%3D0.9';
const MAX_S = Number(process.env['BENCH_MAX_S'] ?? 5);
const FIXED_S = Number(process.env['BENCH_FIXED_S'] ?? 15);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CONNECTIONS = 10;
const FIXED_RATE = 2000;
const PIN = process.env['BENCH_PIN'] !== '0' && availableParallelism() >= 2;

interface Target {
  port: number;
  /** CPU time of the server process so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

interface Phase {
  load: LoadResult;
  /** Server CPU time per answered request. */
  cpuMicrosPerRequest: number;
}

async function main(): Promise<void> {
  const { files, client, dir } = makeServingPki();
  const headers = {
    Accept: 'application/vnd.kubernetes.protobuf, */*',
    'User-Agent': 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/bench',
    'X-Remote-User': 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
    'X-Remote-Group': 'system:serviceaccounts',
  };
  const pinned = PIN && pin(process.pid, 0);

  const prescale = await startTarget({ kind: 'prescale', ...files });
  const body = await fetchOnce(prescale.port, headers, client);
  const bare = await startTarget({ kind: 'bare', ...files, body });
  const rows: string[][] = [];
  const perRound: string[] = [];
  try {
    const servers = [['bare https', bare], ['prescale', prescale]] as const;
    const results: Record<string, { max: Phase[]; fixed: Phase[] }> = { 'bare https': { max: [], fixed: [] }, prescale: { max: [], fixed: [] } };
    const phase = async (target: Target, durationMs: number, rate?: number): Promise<Phase> => {
      const before = await target.cpuMicros();
      const load = await runLoad({ host: '127.0.0.1', port: target.port, servername: 'localhost', path: PATH, headers, ...client, connections: CONNECTIONS, durationMs, ...(rate ? { rate } : {}) });
      return { load, cpuMicrosPerRequest: ((await target.cpuMicros()) - before) / load.requests };
    };
    for (const [, target] of servers) await phase(target, 2000); // warm-up
    // Rounds alternate the servers, so a burst of noise from the rest of the machine lands on
    // both; the table shows the median of the rounds.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, target] of servers) {
        results[name]!.max.push(await phase(target, MAX_S * 1000));
        results[name]!.fixed.push(await phase(target, FIXED_S * 1000, FIXED_RATE));
      }
      const [b, p] = [results['bare https']!, results['prescale']!];
      perRound.push(
        `round ${round + 1}: bare/prescale ${(b.max[round]!.load.rps / p.max[round]!.load.rps).toFixed(2)}, ` +
          `p99 @${FIXED_RATE} bare ${b.fixed[round]!.load.latency.p99.toFixed(2)} ms, prescale ${p.fixed[round]!.load.latency.p99.toFixed(2)} ms`,
      );
    }
    const med = (phases: Phase[], pick: (p: Phase) => number): number => median(phases.map(pick));
    const ceiling = results['bare https']!.max;
    for (const [name, r] of Object.entries(results)) {
      const rps = med(r.max, (p) => p.load.rps);
      const cpu = med(r.max, (p) => p.cpuMicrosPerRequest);
      rows.push([
        name,
        rps.toFixed(0),
        (med(ceiling, (p) => p.load.rps) / rps).toFixed(2),
        cpu.toFixed(0),
        (cpu / med(ceiling, (p) => p.cpuMicrosPerRequest)).toFixed(2),
        med(r.max, (p) => p.load.latency.p50).toFixed(2),
        med(r.max, (p) => p.load.latency.p99).toFixed(2),
        med(r.fixed, (p) => p.load.rps).toFixed(0),
        med(r.fixed, (p) => p.load.latency.p50).toFixed(2),
        med(r.fixed, (p) => p.load.latency.p99).toFixed(2),
        med(r.fixed, (p) => p.load.latency.p999).toFixed(2),
        med(r.fixed, (p) => p.cpuMicrosPerRequest).toFixed(0),
        String([...r.max, ...r.fixed].reduce((n, p) => n + p.load.errors, 0)),
      ]);
    }
  } finally {
    await prescale.stop();
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nExternal metrics list path over TLS + keep-alive, ${CONNECTIONS} connections; ${ROUNDS} rounds of ${MAX_S}s at full speed and ${FIXED_S}s at ${FIXED_RATE} rps, medians shown; body ${Buffer.byteLength(body)} bytes`);
  console.log(`GET ${PATH}`);
  console.log(pinned ? 'load generator on CPU 0, each server on CPU 1 (taskset)\n' : 'not pinned: load generator and server share the cores\n');
  printTable(['server', 'max rps', 'bare/x', 'CPU µs/req', 'x/bare', 'p50 ms', 'p99 ms', `@${FIXED_RATE} rps`, 'p50 ms', 'p99 ms', 'p99.9 ms', 'CPU µs/req', 'errors'], rows);
  console.log(`\n${perRound.join('\n')}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Pins every thread of `pid` to one CPU; false when taskset is missing or refuses. */
function pin(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function startTarget(args: object): Promise<Target> {
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each target, to see where its time goes.
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(join(__dirname, 'serve-target.js'), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const nextMessage = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (msg) => resolve(msg as T)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
    void nextMessage<{ port: number }>().then((msg) => {
      // Pinned once listening, so that its worker threads exist and are pinned too.
      if (PIN) pin(child.pid as number, 1);
      resolve({
        port: msg.port,
        cpuMicros: async () => {
          const reply = nextMessage<{ cpuMicros: number }>();
          child.send('cpu');
          return (await reply).cpuMicros;
        },
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

function fetchOnce(port: number, headers: Record<string, string>, tls: { cert: string; key: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: PATH, headers, ...tls, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
