import { type FileHandle, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * Reads a JSON state file the service saves for itself (live accuracy, decision calibration).
 * No file: null. A file that does not parse, or does not match `schema`, is moved aside
 * (`<file>.unreadable-<ms>`), reported through `onUnreadable` (why, where it went) and read
 * as null: a bad save never stops the service, and it is never overwritten unread.
 */
export async function readJsonFileOrSetAside<T>(file: string, schema: z.ZodType<T>, onUnreadable: (why: string, movedTo: string) => void): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let why: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    why = issue ? (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message) : 'invalid';
  } catch (err) {
    why = (err as Error).message;
  }
  const aside = `${file}.unreadable-${Date.now()}`;
  await rename(file, aside);
  onUnreadable(why, aside);
  return null;
}

/**
 * Replaces `file` with what `write` puts in a temporary file beside it, synced and renamed
 * over the old one, so a crash leaves either the previous content or the new, never half of
 * either.
 */
export async function replaceFileAtomically(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    await write(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
