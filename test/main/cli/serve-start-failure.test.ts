import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, tempDir } from '../../helpers/test-server';

/**
 * `prescale serve` as a child process (the built dist/, as `npm test` builds first): a start-up
 * failure ends the process with a non-zero code (2 for configuration) instead
 * of a process that stays live but never becomes ready.
 */
describe('prescale serve when it cannot start', () => {
  const dir = tempDir('serve-start-failure');
  afterAll(() => dir.remove());
  writeFileSync(join(dir.path, 'garbage.pem'), 'not a certificate\n');
  writeFileSync(join(dir.path, 'short-token'), 'abc\n');

  const start = async (name: string, extra: Record<string, unknown>, port = 0) => {
    const file = join(dir.path, `${name}.json`);
    writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port }, storage: { dataDir: join(dir.path, name) }, ...extra }));
    // A process that stays up instead of exiting is killed at 45 s and fails the test; wall
    // time itself is not asserted (a loaded machine makes start-up slow, not wrong).
    return runCli(['serve', '--config', file], {}, 45_000);
  };
  const missing = join(dir.path, 'missing.pem');
  const withToken = (tokenFile: string) => ({ server: { host: '127.0.0.1', port: 0, auth: { tokens: [{ name: 'pusher', tokenFile, role: 'write' }] } } });

  it.each([
    ['an unreadable externalMetrics certificate', { externalMetrics: { host: '127.0.0.1', port: 0, tls: { certFile: missing, keyFile: missing } } }, 'externalMetrics.tls.certFile'],
    ['an externalMetrics certificate that is no PEM', { externalMetrics: { host: '127.0.0.1', port: 0, tls: { certFile: join(dir.path, 'garbage.pem'), keyFile: join(dir.path, 'garbage.pem') } } }, 'externalMetrics.tls'],
    ['an unreadable externalMetrics client CA', { externalMetrics: { host: '127.0.0.1', port: 0, auth: { clientCAFile: missing } } }, 'externalMetrics.auth.clientCAFile'],
    ['an unreadable keda certificate', { keda: { host: '127.0.0.1', grpcPort: 0, tls: { certFile: missing, keyFile: missing } } }, 'keda.tls.certFile'],
    ['an unreadable server.auth token file', withToken(missing), 'server.auth.tokens[0].tokenFile'],
    ['a server.auth token that is too short', withToken(join(dir.path, 'short-token')), 'shorter than 16 characters'],
  ])('exits 2 on %s, naming the field, instead of staying up unready', async (name, extra, field) => {
    const result = await start(name.replace(/\W+/g, '-'), extra);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(field);
  });

  it('exits non-zero when the port is taken', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const result = await start('port-taken', {}, port);
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      } finally {
      blocker.close();
    }
  });
});
