import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/runtime/package-root';
import { type Endpoint, localAgent, send } from './http-client';
import { sleep } from './random';

/** A real `prescale serve --config FILE` child process, reached on 127.0.0.1. */
export interface PrescaleChild {
  readonly pid: number;
  readonly http: Endpoint;
  /** Set once the process has exited (code or signal). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The last 4 KB of its stdout and stderr. */
  output(): string;
  /** Resident set size in KiB (from /proc), or NaN once gone. */
  rssKb(): number;
  /** SIGKILL, resolved when the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (drain), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the tests' helper). */
export { freePort } from '../../test/helpers/test-server';

/**
 * Writes `config` (JSON, which is YAML) to `<dir>/config.yaml` and starts the CLI from dist/
 * with a clean environment (no HOST/PORT/PRESCALE_* overrides). Resolves once `/healthz`
 * answers 200, or rejects after `readyTimeoutMs` or when the process exits first.
 */
export async function startPrescale(options: { dir: string; config: object; port: number; readyTimeoutMs?: number }): Promise<PrescaleChild> {
  const file = join(options.dir, 'config.yaml');
  writeFileSync(file, JSON.stringify(options.config, null, 2));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'HOST' && k !== 'PORT' && !k.startsWith('PRESCALE_')));
  const proc: ChildProcess = spawn(process.execPath, [join(packageRoot(), 'bin', 'prescale.js'), 'serve', '--config', file], {
    env: { ...env, PRESCALE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer): void => {
    tail = (tail + d.toString()).slice(-4096);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: PrescaleChild = {
    pid: proc.pid ?? -1,
    http: { port: options.port, agent: localAgent() },
    exit: undefined,
    output: () => tail,
    rssKb: () => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
      } catch {
        return Number.NaN;
      }
    },
    kill9: async () => {
      if (child.exit) return;
      proc.kill('SIGKILL');
      await gone;
    },
    stop: async (graceMs = 5000) => {
      if (child.exit) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
  proc.once('exit', (code, signal) => {
    child.exit = { code, signal };
    child.http.agent.destroy();
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (!child.exit && Date.now() < deadline) {
    const reply = await send(child.http, { path: '/healthz', timeoutMs: 1000 });
    if (reply.status === 200) return child;
    await sleep(50);
  }
  await child.kill9();
  throw new Error(`prescale did not answer /healthz (exit ${JSON.stringify(child.exit)}): ${tail}`);
}
