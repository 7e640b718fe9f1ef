import { join, resolve } from 'node:path';

/**
 * Absolute path of the compiled JavaScript for a worker module, given its path under the
 * repository root without extension (e.g. `src/forecast/forecast-worker`).
 * Worker threads load plain JavaScript: when this code itself runs from TypeScript sources
 * (Jest compiles on the fly), the worker comes from the build in `dist/`, which `npm test`
 * builds first.
 */
export function workerScriptPath(moduleFromRoot: string): string {
  const root = resolve(__dirname, '..', '..');
  const runningFromDist = __filename.endsWith('.js');
  return runningFromDist ? join(root, `${moduleFromRoot}.js`) : join(root, 'dist', `${moduleFromRoot}.js`);
}
