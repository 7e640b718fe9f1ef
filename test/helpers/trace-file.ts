import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The real traces the project ships (copied from the development set, with their README and notices). */
export const TRACE_DIR = join(__dirname, '..', 'data', 'traces');

/** Rows of a trace CSV (`timestamp,value`), skipping empty values (missing samples). */
export function readTrace(file: string): { t: number; v: number }[] {
  const lines = readFileSync(join(TRACE_DIR, file), 'utf8').trim().split('\n').slice(1);
  const out: { t: number; v: number }[] = [];
  for (const line of lines) {
    const [ts, value] = line.split(',');
    if (value === undefined || value.trim() === '') continue;
    out.push({ t: Date.parse(ts as string), v: Number(value) });
  }
  return out;
}
