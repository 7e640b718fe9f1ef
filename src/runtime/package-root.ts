import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package root: the nearest folder above this file with a package.json. The same code
 * runs from TypeScript sources (tests) and from `dist/` (production), so files that ship
 * beside the code (worker scripts, the dashboard page, .proto files) are found from here.
 */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
