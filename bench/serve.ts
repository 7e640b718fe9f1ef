/**
 * `npm run bench:serve`: the external metrics list path over TLS with keep-alive, as the HPA
 * calls it (front-proxy client certificate, X-Remote-* headers, a label selector), against a
 * bare Node https server returning the same bytes with the same TLS settings, in the same run.
 * Two phases per server: as fast as possible, then a fixed 2,000 requests per second.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { TestPki } from '../test/helpers/pki';

const PATH = '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth?labelSelector=aggregate%3Dmax%2Chorizon%3D10m%2Cquantile%3D0.9';
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = 10;

interface Target {
  port: number;
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-pki-'));
  const serving = new TestPki('serving-ca').leaf({ commonName: 'localhost', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  const frontProxyPki = new TestPki('front-proxy-ca');
  const client = frontProxyPki.leaf({ commonName: 'front-proxy-client', usage: 'client' });
  const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: join(dir, 'ca.crt') };
  writeFileSync(files.certFile, serving.cert);
  writeFileSync(files.keyFile, serving.key);
  writeFileSync(files.caFile, frontProxyPki.ca.cert);
  const headers = {
    accept: 'application/vnd.kubernetes.protobuf, */*',
    'user-agent': 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/bench',
    'x-remote-user': 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
    'x-remote-group': 'system:serviceaccounts',
  };
  const tlsOptions = { cert: client.cert, key: client.key };

  const prescale = await startTarget({ kind: 'prescale', ...files });
  const body = await fetchOnce(prescale.port, headers, tlsOptions);
  const bare = await startTarget({ kind: 'bare', ...files, body });
  const rows: string[][] = [];
  try {
    const results: Record<string, { max: autocannon.Result; fixed: autocannon.Result }> = {};
    for (const [name, target] of [['bare https', bare], ['prescale', prescale]] as const) {
      await load(target.port, headers, tlsOptions, { duration: 2 }); // warm-up
      const max = await load(target.port, headers, tlsOptions, { duration: DURATION_S });
      const fixed = await load(target.port, headers, tlsOptions, { duration: DURATION_S, overallRate: 2000 });
      results[name] = { max, fixed };
    }
    const ceiling = results['bare https']!.max.requests.average;
    for (const [name, r] of Object.entries(results)) {
      rows.push([
        name,
        r.max.requests.average.toFixed(0),
        (ceiling / r.max.requests.average).toFixed(2),
        r.max.latency.p50.toFixed(2),
        r.max.latency.p99.toFixed(2),
        r.fixed.requests.average.toFixed(0),
        r.fixed.latency.p50.toFixed(2),
        r.fixed.latency.p99.toFixed(2),
        String(r.max.non2xx + r.fixed.non2xx + r.max.errors + r.fixed.errors),
      ]);
    }
  } finally {
    await prescale.stop();
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nExternal metrics list path over TLS + keep-alive, ${CONNECTIONS} connections, ${DURATION_S}s per phase; body ${Buffer.byteLength(body)} bytes`);
  console.log(`GET ${PATH}\n`);
  printTable(['server', 'max rps', 'bare/x', 'p50 ms', 'p99 ms', '@2000 rps', 'p50 ms', 'p99 ms', 'errors'], rows);
}

function load(port: number, headers: Record<string, string>, tlsOptions: object, options: { duration: number; overallRate?: number }): Promise<autocannon.Result> {
  return autocannon({
    url: `https://127.0.0.1:${port}${PATH}`,
    connections: CONNECTIONS,
    pipelining: 1,
    headers,
    tlsOptions,
    servername: 'localhost',
    ...options,
  } as autocannon.Options);
}

function startTarget(args: object): Promise<Target> {
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each target, to see where its time goes.
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(join(__dirname, 'serve-target.js'), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
    child.once('message', (msg: { port: number }) =>
      resolve({
        port: msg.port,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
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
