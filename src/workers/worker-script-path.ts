import { join } from 'node:path';
import { packageRoot } from '../runtime/package-root';

/**
 * Absolute path of the compiled JavaScript for a worker module, given its path under the
 * repository root without extension (e.g. `src/forecast/forecast-worker`). Worker threads
 * load plain JavaScript, so this is always the build in `dist/` — also when the caller runs
 * from TypeScript sources under Jest (`npm test` builds first).
 */
export function workerScriptPath(moduleFromRoot: string): string {
  return join(packageRoot(), 'dist', `${moduleFromRoot}.js`);
}
