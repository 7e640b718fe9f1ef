import { seriesModelsView } from '../../../training/model-views';
import { openModelRegistry } from '../../model-registry-for';
import { loadCliConfig } from '../cli-env';
import type { Config } from '../../../src/config/schema';
import { invalidInput } from '../../../src/errors/prescale-error';
import type { ModelRegistry } from '../../../training/registry/registry-store';
import { formatTable } from '../format-table';

export interface ModelsCommandOptions {
  config?: string;
  series?: string;
  version?: string;
  json?: boolean;
}

/**
 * `prescale models list|promote|rollback`: reads and changes the registry of
 * `storage.backend`. On postgres every running replica serves the change within seconds; with
 * the models folder a running server picks it up on its next start (use the REST endpoints
 * to change what a running server serves). `promote` and `rollback` print one line saying
 * which version served before and which serves now.
 */
export async function modelsCommand(action: 'list' | 'promote' | 'rollback', options: ModelsCommandOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const config = loadCliConfig(options.config, env);
  const { registry, close } = await openModelRegistry(config);
  let views;
  try {
    if (action !== 'list') {
      const series = options.series!;
      const before = (await registry.serving(series)).promoted;
      const after = action === 'promote' ? await promote(registry, series, options.version!, config) : (await registry.rollback(series)).promoted;
      out.write(`${changeLine(action, series, before, after, config.storage.backend)}\n`);
      return 0;
    }
    const names = options.series ? [options.series] : [...new Set([...config.series.map((s) => s.name), ...(await registry.seriesNames())])].sort();
    views = await Promise.all(names.map(async (n) => seriesModelsView(n, await registry.versions(n), await registry.serving(n))));
  } finally {
    await close();
  }
  if (options.json) {
    out.write(`${JSON.stringify({ series: views }, null, 2)}\n`);
    return 0;
  }
  const rows = [['series', 'version', 'kind', 'status', 'created', 'held-out MASE', 'current', 'baseline', 'backend']];
  for (const v of views) {
    for (const m of v.versions) {
      rows.push([v.series, m.version, m.kind, m.status, m.createdAt, m.gate.candidate.mase.toFixed(4), m.gate.current?.mase.toFixed(4) ?? '-', m.gate.baseline.mase.toFixed(4), m.backend ?? '-']);
    }
  }
  out.write(formatTable(rows));
  return 0;
}

/** Promotes, naming the flag at fault: an unknown series is `--series`, an unknown version `--version`. */
async function promote(registry: ModelRegistry, series: string, version: string, config: Readonly<Config>): Promise<string | null> {
  const versions = (await registry.versions(series)).map((m) => m.version);
  if (versions.length === 0) {
    const configured = config.series.some((s) => s.name === series);
    throw invalidInput('--series', configured ? `"${series}" has no trained model versions yet; run prescale train --series ${series}` : `"${series}" is neither a configured series nor in the registry`);
  }
  if (!versions.includes(version)) throw invalidInput('--version', `series "${series}" has no model version "${version}" (versions: ${versions.join(', ')})`);
  return (await registry.promote(series, version)).promoted;
}

function changeLine(action: 'promote' | 'rollback', series: string, before: string | null, after: string | null, backend: 'sqlite' | 'postgres'): string {
  const verb = action === 'promote' ? 'promoted' : 'rolled back';
  if (before === after) return `series=${series} ${verb}: ${after ?? 'none'} was already serving; nothing changed`;
  return `series=${series} ${verb}: ${before ?? 'none'} -> ${after ?? 'none'} (the registry now serves ${after ?? 'no version'}; ${backend === 'postgres' ? 'every running replica serves it within seconds' : 'a running server picks it up on restart'})`;
}
