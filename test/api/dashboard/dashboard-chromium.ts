import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags for a quiet headless Chromium that talks only to the page's origin. */
function flags(profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profileDir}`,
    // Enough virtual time for every panel's requests; less than the page's 30 s refresh, so one render is dumped.
    '--virtual-time-budget=10000',
  ];
}

/** The DOM after the page's script ran (`--dump-dom`). */
export async function renderedDom(url: string, profileDir: string): Promise<string> {
  const { stdout } = await run(CHROMIUM, [...flags(join(profileDir, 'dom')), '--dump-dom', url], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

/** A PNG of the page as a person sees it, 1400×1800. */
export async function screenshot(url: string, profileDir: string, file: string): Promise<void> {
  await run(CHROMIUM, [...flags(join(profileDir, 'shot')), `--screenshot=${file}`, '--window-size=1400,1800', url], { timeout: 60_000 });
}

/** The markup of the one `<section>` carrying `attr="value"` (cards do not nest). */
export function card(dom: string, attr: 'data-series' | 'data-pool', value: string): string {
  const start = dom.indexOf(`${attr}="${value}"`);
  if (start < 0) return '';
  return dom.slice(start, dom.indexOf('</section>', start));
}
