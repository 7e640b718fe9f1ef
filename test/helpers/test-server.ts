import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load-config';
import { type RunningService, serve } from '../../main/serve';
import { createLogger } from '../../src/telemetry/logger';
import { demoRate } from '../../src/demo/demo-rate';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'bin', 'prescale.js');

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `prescale-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts the real service (worker-thread forecasts, SQLite under `dataDir`) on an ephemeral port. */
export async function startService(dataDir: string, overrides: Record<string, unknown> = {}): Promise<RunningService & { url: string }> {
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, maxSamplesPerRequest: 10_000, shutdownGrace: 2 },
    // Tests push fixed dates (2014 traces, January 2026) into a service whose clock is now: a
    // century of retention keeps them (retention is measured from the clock).
    storage: { dataDir, retention: '36500d' },
    forecast: { refreshDebounce: 0.05 },
    series: [{ name: 'api-rps', step: '1m', kind: 'rate', timezone: 'Europe/Berlin', horizon: '30m', quantiles: [0.5, 0.9] }],
    ...overrides,
  });
  const running = await serve({ config, logger: createLogger({ level: 'silent' }) });
  return { ...running, url: `http://127.0.0.1:${running.port}` };
}

/** A port that was free a moment ago (for child processes that take PORT from the environment). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** `count` one-minute demo-workload samples ending at the current minute, as JSON `{t, v}`. */
export function recentSamples(count: number, endMs = Date.now()): Array<{ t: string; v: number }> {
  const end = Math.floor(endMs / 60_000) * 60_000;
  return Array.from({ length: count }, (_, i) => {
    const t = end - (count - 1 - i) * 60_000;
    return { t: new Date(t).toISOString(), v: Number(demoRate(t, 7).toFixed(3)) };
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/prescale.js …` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildResult> {
  const child = spawnCli(args, env);
  return collect(child, timeoutMs);
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, PRESCALE_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveResult, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child timed out; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
}

/** True when a TCP connection to the loopback port is accepted (a listener is up). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
