import { Writable } from 'node:stream';
import { REDACTED, redactLogValue, redactSecrets } from '../../../src/telemetry/redact-secrets';
import { createLogger } from '../../../src/telemetry/logger';

describe('redactSecrets', () => {
  it.each([
    ['http://prom:9090 up', 'http://prom:9090 up'],
    ['https://user:pa55@prom.example/api', `https://${REDACTED}@prom.example/api`],
    ['https://token@prom.example', `https://${REDACTED}@prom.example`],
    ['GET http://a:b@h:1/x?query=up&access_token=abc&step=60 failed', `GET http://${REDACTED}@h:1/x?query=up&access_token=${REDACTED}&step=60 failed`],
    ['https://h/p?api_key=k1&X-Amz-Signature=s2', `https://h/p?api_key=${REDACTED}&X-Amz-Signature=${REDACTED}`],
    ['https://h/p?password=x#frag', `https://h/p?password=${REDACTED}#frag`],
    ['"http://u:p@h/a@b"', `"http://${REDACTED}@h/a@b"`],
    ['no url, token=abc', 'no url, token=abc'],
  ])('%s → %s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });
});

describe('the logger', () => {
  it('writes no credential of a URL, in messages, fields or errors', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    const err = new Error('connect ECONNREFUSED for http://scraper:s3cr3t@prom:9090/api/v1/query_range?token=t0k');
    logger.warn({ series: 'x', err, source: { url: 'https://scraper:s3cr3t@prom' } }, 'pull from https://scraper:s3cr3t@prom failed');
    const out = lines.join('');
    expect(out).not.toMatch(/s3cr3t|t0k/);
    expect(out).toContain('prom:9090/api/v1/query_range');
    expect(out).toContain('ECONNREFUSED');
  });

  it('leaves the logged objects unchanged', () => {
    const fields = { url: 'https://u:p@h' };
    redactLogValue(fields);
    expect(fields.url).toBe('https://u:p@h');
  });
});
