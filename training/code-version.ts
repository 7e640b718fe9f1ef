import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/runtime/package-root';

/** The package version of this code, recorded in every model manifest. */
export function codeVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
