/**
 * `prescale check --config FILE` through the real CLI (dist/, as `npm test` builds it): exit 0
 * or 2, every problem with its path in one round, and every YAML config snippet of README.md
 * and docs/*.md passes, so the docs cannot drift from the schema.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../../src/config/schema';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/test-server';

const CONFIG_KEYS = new Set(Object.keys(configSchema.shape));

/** ```yaml blocks whose top-level keys include a config section (Kubernetes and kustomize snippets have none). */
function configSnippets(): { where: string; text: string }[] {
  const files = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const snippets: { where: string; text: string }[] = [];
  for (const file of files) {
    const doc = readFileSync(join(REPO_ROOT, file), 'utf8');
    for (const m of doc.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
      const parsed = parseYaml(m[1]!) as unknown;
      const keys = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
      if (keys.some((k) => CONFIG_KEYS.has(k)) && !keys.includes('apiVersion')) snippets.push({ where: `${file}:${doc.slice(0, m.index).split('\n').length}`, text: m[1]! });
    }
  }
  return snippets;
}

describe('prescale check --config', () => {
  const dir = tempDir('check');
  afterAll(() => dir.remove());
  const write = (name: string, text: string): string => {
    const file = join(dir.path, name);
    writeFileSync(file, text);
    return file;
  };

  it('exits 0 and says ok for a valid config', async () => {
    const file = write('ok.yaml', 'series:\n  - { name: a, step: 1m, horizon: 1h }\n');
    const res = await runCli(['check', '--config', file]);
    expect([res.code, res.stdout, res.stderr]).toEqual([0, `${file}: ok\n`, '']);
  });

  it('reports schema and cross-reference problems in one round, each with its path, and exits 2', async () => {
    const file = write(
      'bad.yaml',
      [
        'series:',
        '  - { name: a, step: 1x, horizon: 1h }', // schema: bad duration
        'pools:',
        '  - { name: p, series: missing, capacityPerReplica: 1, maxReplicas: 2 }', // reference: unknown series
        '  - { name: q, series: a, capacityPerReplica: -1, maxReplicas: 2 }', // schema: failed entry, still a known pool name
        'events:',
        '  - { name: e, start: 2026-12-01T09:00:00Z, end: 2026-12-01T10:00:00Z, floor: { q: 1, nope: 2 } }', // reference: unknown pool
        'bogus: 1', // schema: unknown key
        '',
      ].join('\n'),
    );
    const res = await runCli(['check', '--config', file]);
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines.map((l) => l.slice(file.length + 2).split(':')[0]).sort()).toEqual(['5 problems', 'bogus', 'events[0].floor.nope', 'pools[0].series', 'pools[1].capacityPerReplica', 'series[0].step']);
    expect(res.stderr).toContain('pools[0].series: series "missing" is not configured');
    expect(res.stderr).not.toMatch(/floor\.q:/);
  });

  it('exits 2 naming the file when it is not YAML or does not exist', async () => {
    const res = await runCli(['check', '--config', join(dir.path, 'absent.yaml')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/config: config file .*absent\.yaml/);
  });

  const snippets = configSnippets();
  it('finds the config snippets of the docs', () => {
    expect(snippets.map((s) => s.where.split(':')[0])).toEqual(expect.arrayContaining(['README.md', 'docs/planner.md', 'docs/kubernetes.md', 'docs/training.md']));
  });

  it.each(snippets.map((s) => [s.where, s.text]))('the config snippet at %s passes', async (where, text) => {
    const file = write(`${where.replace(/[/:.]/g, '_')}.yaml`, text);
    const res = await runCli(['check', '--config', file]);
    expect([res.code, res.stderr]).toEqual([0, '']);
  });
});
