import { formatDuration } from '../config/duration';
import { PrescaleError, invalidInput } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { iso } from '../time/iso';
import { parseTimestamp } from './parse-timestamp';

/**
 * What a batch must satisfy beyond well-formed samples. Every batch also refuses a
 * timestamp it holds twice (INVALID_INPUT naming the second one): which value was meant is
 * ambiguous, and a batch is all or nothing.
 */
export interface BatchRules {
  /** Most samples in one batch; PAYLOAD_TOO_LARGE beyond. Default: no limit. */
  maxSamples?: number;
  /**
   * Refuses samples more than `maxSkewSeconds` ahead of `nowMs` (epoch ms of the service
   * clock; `server.maxFutureSkew`): one far-future sample would make the series look fresh
   * while freezing its forecast. Default: no bound (files read by the CLI).
   */
  future?: { nowMs: number; maxSkewSeconds: number };
}

/**
 * Parses a JSON sample batch `[{"t": …, "v": …}, …]`. The whole batch is checked before
 * anything is stored, so a bad sample rejects the batch and names its index.
 * @param path where the array sits in the request, for the field names of errors.
 * @throws {PrescaleError} INVALID_INPUT naming the field (`body[3].t`); PAYLOAD_TOO_LARGE.
 */
export function parseJsonSamples(body: unknown, rules: BatchRules = {}, path = 'body'): Sample[] {
  if (!Array.isArray(body)) throw invalidInput(path, 'must be a JSON array of {"t", "v"} objects');
  checkSize(body.length, rules.maxSamples ?? Infinity);
  const check = batchCheck(rules);
  return body.map((item: unknown, i) => {
    const field = `${path}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidInput(field, 'must be an object {"t", "v"}');
    const rec = item as Record<string, unknown>;
    for (const key of Object.keys(rec)) if (key !== 't' && key !== 'v') throw invalidInput(`${field}.${key}`, 'unknown key (expected t and v)');
    const t = check(parseTimestamp(rec['t'], `${field}.t`), `${field}.t`);
    return { t, v: parseValue(rec['v'], `${field}.v`) };
  });
}

/**
 * Parses CSV `timestamp,value` lines (header optional; an empty value is a missing sample
 * and is skipped, as in the shared traces).
 * @throws {PrescaleError} INVALID_INPUT naming the line (`line 4 timestamp`); PAYLOAD_TOO_LARGE.
 */
export function parseCsvSamples(text: string, rules: BatchRules = {}): Sample[] {
  const maxSamples = rules.maxSamples ?? Infinity;
  const check = batchCheck(rules);
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
    const field = `line ${lineNo} timestamp`;
    samples.push({ t: check(parseTimestamp(ts, field), field), v: parseValue(val, `line ${lineNo} value`) });
    if (samples.length > maxSamples) checkSize(samples.length, maxSamples);
  }
  return samples;
}

/** The per-sample rules of `BatchRules`: returns `t` when it passes, throws naming `field` when not. */
function batchCheck(rules: BatchRules): (t: number, field: string) => number {
  const seen = new Map<number, string>();
  const { future } = rules;
  const limitMs = future ? future.nowMs + future.maxSkewSeconds * 1000 : Infinity;
  return (t, field) => {
    if (future && t > limitMs) {
      throw invalidInput(field, `timestamp ${iso(t)} is more than ${formatDuration(future.maxSkewSeconds)} ahead of the service clock (server.maxFutureSkew)`);
    }
    const first = seen.get(t);
    if (first !== undefined) throw invalidInput(field, `timestamp ${iso(t)} is also at ${first}; send each timestamp once per batch`);
    seen.set(t, field);
    return t;
  };
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

export function checkSize(count: number, maxSamples: number): void {
  if (count > maxSamples) {
    throw new PrescaleError('PAYLOAD_TOO_LARGE', `batch holds more than ${maxSamples} samples; split it into smaller requests`, 'body');
  }
}
