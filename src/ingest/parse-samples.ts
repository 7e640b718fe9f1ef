import { PrescaleError, invalidInput } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { parseTimestamp } from './parse-timestamp';

/**
 * Parses a JSON sample batch `[{"t": …, "v": …}, …]`. The whole batch is checked before
 * anything is stored, so a bad sample rejects the batch and names its index.
 */
export function parseJsonSamples(body: unknown, maxSamples: number): Sample[] {
  if (!Array.isArray(body)) throw invalidInput('body', 'must be a JSON array of {"t", "v"} objects');
  checkSize(body.length, maxSamples);
  return body.map((item: unknown, i) => {
    const field = `body[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidInput(field, 'must be an object {"t", "v"}');
    const rec = item as Record<string, unknown>;
    for (const key of Object.keys(rec)) if (key !== 't' && key !== 'v') throw invalidInput(`${field}.${key}`, 'unknown key (expected t and v)');
    return { t: parseTimestamp(rec['t'], `${field}.t`), v: parseValue(rec['v'], `${field}.v`) };
  });
}

/**
 * Parses CSV `timestamp,value` lines (header optional; an empty value is a missing sample
 * and is skipped, as in the shared traces).
 */
export function parseCsvSamples(text: string, maxSamples: number = Infinity): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    const lineNo = i + 1;
    if (cells.length !== 2) throw invalidInput(`line ${lineNo}`, `expected 2 columns "timestamp,value", got ${cells.length}`);
    const [ts, val] = cells.map((c) => c.trim().replace(/^"|"$/g, '')) as [string, string];
    if (samples.length === 0 && i === firstContentLine(lines) && isHeader(ts, val)) continue;
    if (val === '') continue;
    samples.push({ t: parseTimestamp(ts, `line ${lineNo} timestamp`), v: parseValue(val, `line ${lineNo} value`) });
    if (samples.length > maxSamples) checkSize(samples.length, maxSamples);
  }
  return samples;
}

function firstContentLine(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function isHeader(ts: string, val: string): boolean {
  return !/^[\d.+-]/.test(ts) && Number.isNaN(Number(val));
}

// Plain decimal notation only: Number() would also take "0x10", "0b1" or "Infinity".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseValue(raw: unknown, field: string): number {
  if (typeof raw === 'string' && !DECIMAL.test(raw.trim())) {
    throw invalidInput(field, /^[+-]?inf/i.test(raw.trim()) ? 'value must be finite' : 'value must be a number');
  }
  const v = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof v !== 'number' || Number.isNaN(v)) throw invalidInput(field, 'value must be a number');
  if (!Number.isFinite(v)) throw invalidInput(field, 'value must be finite');
  return v;
}

function checkSize(count: number, maxSamples: number): void {
  if (count > maxSamples) {
    throw new PrescaleError('PAYLOAD_TOO_LARGE', `batch holds more than ${maxSamples} samples; split it into smaller requests`, 'body');
  }
}
