import { seriesModelsView } from '../../../training/model-views';
import { openModelRegistry } from '../../model-registry-for';
import { loadConfig } from '../../../src/config/load-config';
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
 * to change what a running server serves).
 */
export async function modelsCommand(action: 'list' | 'promote' | 'rollback', options: ModelsCommandOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const config = loadConfig({ file: options.config, env });
  const { registry, close } = await openModelRegistry(config);
  let views;
  try {
    if (action === 'promote') await registry.promote(options.series!, options.version!);
    if (action === 'rollback') await registry.rollback(options.series!);
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
