import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TargetKind } from './kube-api';

/** One change (or, in dry-run and advisory mode, one change that would have been made): who, what, from, to, why. */
export interface AuditEntry {
  time: string;
  /** The instance that acted. */
  who: string;
  mode: 'dry-run' | 'advisory' | 'actuate';
  /** The id of the decision record (`GET /v1/decisions`) this change belongs to. */
  decision?: string;
  action: 'set' | 'would-set' | 'failed';
  pool: string;
  target: { kind: TargetKind; namespace: string; name: string; field: string };
  from: number | null;
  to: number;
  /** The plan's deciding term and its numbers. */
  why: { term: string; detail: string };
  error?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** Appends one JSON line per entry; synchronous so an entry is on disk before the next change. */
export class FileAuditLog implements AuditLog {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  record(entry: AuditEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
