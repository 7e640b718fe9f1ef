/**
 * The runtime stage of each Dockerfile, assembled from its own instructions (COPY, WORKDIR,
 * ENV, RUN mkdir/chown, ENTRYPOINT, CMD) into a temporary root from this checkout (dist/ as
 * `npm test` builds it; node_modules linked, not copied), then run as the container would:
 * `--help`, `serve` (embedded default; aggregated API + KEDA with certificates made here) until
 * /readyz answers, and `train` on a small CSV. A file the server reads at run time that the
 * stage does not copy fails here. No container engine can pull a base image on these machines,
 * so the base image itself (node, libc) is the host's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, posix, relative } from 'node:path';
import { httpsRequest } from '../helpers/https-get';
import { TestPki } from '../helpers/pki';
import { syntheticLoad } from '../helpers/synthetic-series';
import { REPO_ROOT, collect, freePort, waitFor } from '../helpers/test-server';
import { type Stage, copySteps, dockerIgnore, envOf, last, parseDockerfile, runPaths, words } from './dockerfile';

const ignored = dockerIgnore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

interface Layout {
  root: string;
  workdir: string;
  command: string[];
  env: Record<string, string>;
  writable: string[];
}

/** What the build stage's /app holds: what it copied from the context, plus what its RUN lines make. */
function buildOutputs(build: Stage): Set<string> {
  const made = new Set<string>();
  for (const step of copySteps(build)) for (const s of step.sources) made.add(step.sources.length > 1 || step.dest.endsWith('/') ? basename(s) : posix.normalize(step.dest));
  const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ');
  if (/\bnpm (ci|install)\b/.test(runs)) made.add('node_modules');
  if (/\btsc\b/.test(runs)) made.add('dist');
  return made;
}

/** Assembles the last stage of `dockerfile` under a new temp root; `skip` leaves out COPY sources (to prove the test can fail). */
function assemble(dockerfile: string, skip: (source: string) => boolean = () => false): Layout {
  const stages = parseDockerfile(dockerfile);
  const runtime = stages.at(-1)!;
  const root = mkdtempSync(join(tmpdir(), 'prescale-image-'));
  const inRoot = (p: string): string => join(root, p);
  const workdir = inRoot(last(runtime, 'WORKDIR') ?? '/');
  mkdirSync(workdir, { recursive: true });
  for (const step of copySteps(runtime)) {
    const stage = step.from === undefined ? undefined : stages.find((s) => s.name === step.from);
    if (step.from !== undefined && !stage) throw new Error(`COPY --from=${step.from}: no such stage`);
    for (const source of step.sources) {
      if (skip(source)) continue;
      let local: string;
      if (stage) {
        const stageDir = last(stage, 'WORKDIR') ?? '/';
        const rel = posix.relative(stageDir, source);
        if (rel.startsWith('..') || !buildOutputs(stage).has(rel.split('/')[0]!)) throw new Error(`COPY --from=${step.from} ${source}: the ${step.from} stage does not have it`);
        local = join(REPO_ROOT, rel);
      } else {
        if (ignored(source)) throw new Error(`COPY ${source}: excluded by .dockerignore`);
        local = join(REPO_ROOT, source);
      }
      if (!existsSync(local)) throw new Error(`COPY ${source}: ${relative(REPO_ROOT, local)} does not exist in this checkout`);
      const destBase = isAbsolute(step.dest) ? inRoot(step.dest) : join(workdir, step.dest);
      const dest = step.sources.length > 1 || step.dest.endsWith('/') ? join(destBase, basename(source)) : destBase;
      mkdirSync(dirname(dest), { recursive: true });
      if (basename(source) === 'node_modules') symlinkSync(realpathSync(local), dest);
      else cpSync(local, dest, { recursive: true });
    }
  }
  const { created, chowned } = runPaths(runtime);
  for (const dir of created) mkdirSync(inRoot(dir), { recursive: true });
  const env = Object.fromEntries(Object.entries(envOf(runtime)).map(([k, v]) => [k, v.startsWith('/') ? inRoot(v) : v]));
  const entrypoint = words(last(runtime, 'ENTRYPOINT') ?? '[]');
  const cmd = words(last(runtime, 'CMD') ?? '[]');
  return { root, workdir, command: [...entrypoint, ...cmd], env, writable: chowned.map(inRoot) };
}

/** Every file under the app folder (node_modules not followed): the run must not write there. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).filter((p) => !p.startsWith('node_modules')).sort();
}

function start(layout: Layout, args: string[], env: Record<string, string>): ChildProcess {
  const [node, ...rest] = layout.command;
  expect(node).toBe('node');
  // The ENTRYPOINT's script with the given arguments in place of CMD.
  const script = rest[0]!;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRESCALE_') && k !== 'PORT' && k !== 'HOST')) as Record<string, string>;
  return spawn(process.execPath, [script, ...args], { cwd: layout.workdir, env: { ...base, ...layout.env, PRESCALE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function untilReady(child: ChildProcess, port: number): Promise<void> {
  let exited: string | undefined;
  const result = collect(child, 60_000);
  void result.then((r) => (exited = `exited ${r.code}: ${r.stderr}`));
  await waitFor(async () => {
    if (exited) throw new Error(exited);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return res.status === 200 ? true : undefined;
  }, 30_000, `/readyz on ${port}`).catch((err: Error) => {
    throw new Error(exited ?? err.message);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const done = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  child.kill('SIGTERM');
  expect(await done).toBe(0);
}

describe.each(['Dockerfile', 'Dockerfile.gpu'])('deploy/docker/%s runtime stage', (name) => {
  const dockerfile = join(REPO_ROOT, 'deploy', 'docker', name);
  let layout: Layout;
  let before: string[];
  beforeAll(() => {
    layout = assemble(dockerfile);
    before = filesUnder(layout.workdir);
  });
  afterAll(() => rmSync(layout.root, { recursive: true, force: true }));

  it('runs non-root with its data dir created and handed to that user', () => {
    const runtime = parseDockerfile(dockerfile).at(-1)!;
    expect(last(runtime, 'USER')).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(layout.env['PRESCALE_DATA_DIR']).toBeDefined();
    expect(layout.writable).toContain(layout.env['PRESCALE_DATA_DIR']);
    expect(existsSync(layout.env['PRESCALE_DATA_DIR']!)).toBe(true);
  });

  it('every COPY source of every stage exists in the build context and is not excluded by .dockerignore', () => {
    for (const stage of parseDockerfile(dockerfile)) {
      for (const step of copySteps(stage).filter((s) => s.from === undefined)) {
        for (const source of step.sources) {
          expect([source, existsSync(join(REPO_ROOT, source)), ignored(source)]).toEqual([source, true, false]);
        }
      }
    }
  });

  it('prints --help', async () => {
    const res = await collect(start(layout, ['--help'], {}));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/serve/);
  });

  it('serves the embedded default (CMD) until /readyz answers, with the dashboard page', async () => {
    const port = await freePort();
    const child = start(layout, layout.command.slice(2), { PORT: String(port), HOST: '127.0.0.1' });
    await untilReady(child, port);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await stop(child);
  });

  it('serves a config with the aggregated API (certificates from a test CA) and the KEDA scaler', async () => {
    const pki = new TestPki('serving-ca');
    const frontProxy = new TestPki('front-proxy-ca');
    const serving = pki.leaf({ commonName: 'prescale.prescale.svc', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
    const etc = join(layout.root, 'etc', 'prescale');
    mkdirSync(join(etc, 'tls'), { recursive: true });
    writeFileSync(join(etc, 'tls', 'tls.crt'), serving.cert);
    writeFileSync(join(etc, 'tls', 'tls.key'), serving.key);
    writeFileSync(join(etc, 'tls', 'front-proxy-ca.crt'), frontProxy.ca.cert);
    const [port, emPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(
      join(etc, 'config.yaml'),
      [
        `server: { host: 127.0.0.1, port: ${port} }`,
        `storage: { dataDir: ${layout.env['PRESCALE_DATA_DIR']!} }`,
        'externalMetrics:',
        `  host: 127.0.0.1`,
        `  port: ${emPort}`,
        `  tls: { certFile: ${join(etc, 'tls', 'tls.crt')}, keyFile: ${join(etc, 'tls', 'tls.key')} }`,
        `  requestHeader: { clientCAFile: ${join(etc, 'tls', 'front-proxy-ca.crt')} }`,
        `keda: { host: 127.0.0.1, grpcPort: ${grpcPort} }`,
        'series:',
        '  - { name: queue-depth, step: 1m, horizon: 1h }',
        '',
      ].join('\n'),
    );
    const child = start(layout, ['serve', '--config', join(etc, 'config.yaml')], {});
    await untilReady(child, port);
    const probe = await httpsRequest(emPort!, '/readyz', { ca: pki.ca.cert });
    expect(probe.status).toBe(200);
    await stop(child);
  });

  it('trains a small CSV into the data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-image-train-'));
    try {
      const series = syntheticLoad({ days: 16, stepSeconds: 3600 });
      const csv = join(dir, 'shop-rps.csv');
      writeFileSync(csv, ['timestamp,value', ...Array.from(series.values, (v, i) => `${new Date(series.startMs + i * 3600_000).toISOString()},${v}`)].join('\n'));
      const config = join(dir, 'train.yaml');
      writeFileSync(config, 'training:\n  backend: wasm\n  holdout: 1d\n  lstm:\n    units: 4\n    maxEpochs: 2\n    maxSamples: 200\n');
      const res = await collect(start(layout, ['train', '--config', config, '--csv', csv, '--step', '1h', '--horizon', '2h'], {}), 60_000);
      expect([res.code, res.stderr.split('\n').filter((l) => /error|ENOENT/i.test(l))]).toEqual([0, []]);
      expect(existsSync(join(layout.env['PRESCALE_DATA_DIR']!, 'models', 'shop-rps'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wrote nothing under the app folder (read-only root filesystem)', () => {
    expect(filesUnder(layout.workdir)).toEqual(before);
  });
});

describe('the runtime-image check', () => {
  it('fails when a file the server reads is not copied: serve exits on the missing dashboard page', async () => {
    const layout = assemble(join(REPO_ROOT, 'deploy', 'docker', 'Dockerfile'), (source) => source.endsWith('dashboard.html'));
    try {
      const port = await freePort();
      const res = await collect(start(layout, ['serve'], { PORT: String(port), HOST: '127.0.0.1' }), 30_000);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/ENOENT.*dashboard\.html/);
    } finally {
      rmSync(layout.root, { recursive: true, force: true });
    }
  });

  it('the GPU image keeps the backend it installs: no prune or ci after the tfjs-node-gpu install, and it is saved', () => {
    const build = parseDockerfile(join(REPO_ROOT, 'deploy', 'docker', 'Dockerfile.gpu')).find((s) => s.name === 'build')!;
    const commands = build.instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => i.args.split('&&').map((c) => c.trim()));
    const install = commands.findIndex((c) => c.includes('@tensorflow/tfjs-node-gpu'));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(commands[install]).not.toMatch(/--no-save/);
    expect(commands.slice(install + 1).filter((c) => /npm (prune|ci)\b/.test(c))).toEqual([]);
  });
});
