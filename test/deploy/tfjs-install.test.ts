/**
 * The install commands of docs/training.md ("Installing a native backend"), run offline with
 * stand-in packages made by `npm pack`: a `prescale` with Prescale's own peerDependencies
 * (and meta), and a `@tensorflow/tfjs-node(-gpu)` that only says it loaded. npm is the one on
 * PATH; the registry is never asked (`--offline`, every package a local tarball).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers/test-server';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const doc = readFileSync(join(REPO_ROOT, 'docs', 'training.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Installing a native backend'));
/** The `npm install <prescale> …` lines of the section's first sh block. */
const documented = /```sh\n([\s\S]*?)```/.exec(section)![1]!.split('\n').filter((l) => l.startsWith('npm install <prescale>'));

describe('installing a TensorFlow.js backend next to Prescale, as docs/training.md says', () => {
  const dir = tempDir('tfjs-install');
  afterAll(() => dir.remove());
  const npm = (cwd: string, args: string[]): string => {
    const res = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--cache', join(dir.path, 'cache')], { cwd, encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`npm ${args.join(' ')}: ${res.stderr}`);
    return res.stdout.trim();
  };
  /** Writes a package folder and packs it; returns the tarball path. */
  const pack = (name: string, files: Record<string, string>): string => {
    const src = join(dir.path, 'src', name.replace('/', '+'));
    mkdirSync(src, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(src, file), text);
    return join(dir.path, npm(src, ['pack', '--silent', '--pack-destination', dir.path]).split('\n').at(-1)!);
  };
  const backends = Object.keys(pkg.peerDependencies).filter((n) => n.startsWith('@tensorflow/tfjs-node'));
  let prescale: string;
  const tarballs: Record<string, string> = {};
  beforeAll(() => {
    prescale = pack('prescale', {
      'package.json': JSON.stringify({ name: 'prescale', version: pkg.version, main: 'index.js', peerDependencies: pkg.peerDependencies, peerDependenciesMeta: pkg.peerDependenciesMeta }),
      // Resolves each backend from inside node_modules/prescale, as training does.
      'index.js': `module.exports = (name) => { try { return require(name).standIn === true; } catch { return false; } };`,
    });
    for (const name of backends) tarballs[name] = pack(name, { 'package.json': JSON.stringify({ name, version: '4.22.0', main: 'index.js' }), 'index.js': 'module.exports = { standIn: true };' });
  });
  const deployment = (name: string): string => {
    const app = join(dir.path, name);
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
    return app;
  };
  const loads = (app: string, backend: string): boolean => spawnSync(process.execPath, ['-e', `process.exit(require('prescale')(${JSON.stringify(backend)}) ? 0 : 1)`], { cwd: app }).status === 0;

  it('both backends are optional peers of Prescale, and the doc has one command for each', () => {
    expect(backends.sort()).toEqual(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);
    for (const b of backends) expect(pkg.peerDependenciesMeta[b]?.optional).toBe(true);
    expect(documented.map((l) => l.split(' ')[3]!.replace(/@[^@]*$/, '')).sort()).toEqual(backends.sort());
  });

  it('npm install <prescale> alone does not install an optional peer', () => {
    const app = deployment('alone');
    npm(app, ['install', prescale]);
    for (const b of backends) expect(loads(app, b)).toBe(false);
  });

  it.each(documented)('`%s` installs the backend where Prescale finds it, and npm ci --omit=dev keeps it', (line) => {
    const [, , , spec] = line.split(' ');
    const backend = spec!.replace(/@[^@]*$/, '');
    const app = deployment(backend.replace(/\W/g, '-'));
    // The documented command, with the stand-in tarballs for <prescale> and the backend's registry spec.
    npm(app, ['install', prescale, tarballs[backend]!]);
    expect(loads(app, backend)).toBe(true);
    expect(Object.keys((JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: object }).dependencies).sort()).toEqual([backend, 'prescale'].sort());
    npm(app, ['ci', '--omit=dev']);
    npm(app, ['prune', '--omit=dev']);
    expect(loads(app, backend)).toBe(true);
  });
});
