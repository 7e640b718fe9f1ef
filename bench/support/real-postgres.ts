import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopChild } from './real-prometheus';

const run = promisify(execFile);

/**
 * The server binaries of the Debian `postgresql` package. Debian keeps them out of PATH
 * (`/usr/lib/postgresql/<major>/bin`); the newest major installed wins.
 */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl'))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: install the Debian package `postgresql`');
  return join(root, majors[0]!, 'bin');
}

/** The `postgres` system user: initdb refuses to run as root. */
function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  // `id` reads a user's ids without a native module.
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A real PostgreSQL (the Debian `postgresql` package): `initdb` into a temporary folder and
 * `postgres` on a free loopback port, run as the `postgres` user when the caller is root.
 * Trust authentication on loopback only; the folder is deleted by `destroy`.
 */
export class RealPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'prescale-pg-'));
  readonly dataDir = join(this.dir, 'data');
  private child: ChildProcess | null = null;
  private port = 0;
  private readonly user = postgresUser();
  private readonly bin = postgresBinDir();

  /** Connection URL of database `name` (created by `createDatabase`; `postgres` always exists). */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  get listenPort(): number {
    return this.port;
  }

  /** initdb (once) and start; waits until the server accepts connections. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const spawnOptions = this.user ? { uid: this.user.uid, gid: this.user.gid } : {};
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      if (this.user) chownSync(this.dir, this.user.uid, this.user.gid);
      await run(join(this.bin, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...spawnOptions, env: { ...process.env, LC_ALL: 'C' } });
    }
    // The socket goes to the temp folder: /var/run/postgresql may not exist or be writable.
    const args = ['-D', this.dataDir, '-p', String(this.port), '-h', '127.0.0.1', '-k', this.dir, '-c', 'fsync=on', '-c', 'max_connections=200'];
    const child = spawn(join(this.bin, 'postgres'), args, { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${stderr}`);
      if (await this.ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`postgres did not become ready: ${stderr}`);
  }

  /** Creates an empty database and returns its URL. */
  async createDatabase(name: string): Promise<string> {
    await run(join(this.bin, 'psql'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`]);
    return this.url(name);
  }

  /** Runs one SQL statement through psql and returns its unaligned, tuples-only output. */
  async sql(database: string, statement: string): Promise<string> {
    const { stdout } = await run(join(this.bin, 'psql'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement]);
    return stdout.trim();
  }

  /** Fast shutdown (SIGINT) and wait for exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await stopChild(child, 'SIGINT', 15_000);
  }

  /** Stops and deletes the data folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ready(): Promise<boolean> {
    try {
      await run(join(this.bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-t', '1']);
      return true;
    } catch {
      return false;
    }
  }
}
