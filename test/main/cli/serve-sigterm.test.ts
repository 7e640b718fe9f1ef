import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, waitFor } from '../../helpers/test-server';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'prescale.js');

/** The real CLI process (built dist/, as `npm test` builds first): three listeners, then SIGTERM. */
describe('prescale serve with externalMetrics and keda', () => {
  it('listens on HTTP, HTTPS and gRPC, and on SIGTERM drains, closes every port and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-sigterm-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'server: { host: 127.0.0.1, port: 0, shutdownGrace: 2s }',
        `storage: { dataDir: ${JSON.stringify(dir)} }`,
        'externalMetrics: { host: 127.0.0.1, port: 0 }',
        'keda: { host: 127.0.0.1, grpcPort: 0 }',
        'series: [{ name: queue-depth }]',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [BIN, 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
        buffer = buffer.slice(nl + 1);
      }
    });
    try {
      // Generous: a loaded 2-core machine takes a while to compile the wasm models at start.
      const ports = await waitFor(
        async () => {
          const find = (msg: string) => lines.find((l) => l['msg'] === msg)?.['port'] as number | undefined;
          const all = [find('prescale listening'), find('external metrics API (HTTPS) listening'), find('KEDA external scaler (gRPC) listening')];
          return all.every((p) => p !== undefined) ? (all as number[]) : undefined;
        },
        45_000,
        'the service to listen on all three ports',
      );
      for (const port of ports) expect(await canConnect(port)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.map((l) => l['msg'])).toContain('prescale stopped');
      for (const port of ports) expect(await canConnect(port)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
