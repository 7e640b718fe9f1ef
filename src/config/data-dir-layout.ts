import { join } from 'node:path';
import type { Config } from './schema';

/**
 * Where each file of the embedded mode lives. Every file has a default inside
 * `storage.dataDir` and some have their own config key (a registry or lock on a shared
 * volume); this is the one place that spells them, so serving, the CLI and training all
 * open the same files.
 */
export interface DataDirLayout {
  /** SQLite history store. */
  historyFile: string;
  /** Model registry folder (`training.modelsDir`). */
  modelsDir: string;
  /** Leader lock of scheduled retraining (`training.lockFile`). */
  trainingLockFile: string;
  /** JSON-lines audit log of the actuator (`actuator.auditLog`). */
  auditLogFile: string;
  /** SQLite file of decision records and advisory samples (`GET /v1/decisions`, `/v1/pools/{pool}/advisory`). */
  decisionsFile: string;
  /** Live accuracy of served forecasts and the trust gates (JSON, replaced atomically). */
  accuracyFile: string;
  /** Decision calibration of the pools that set `calibrateDecisions` (JSON, replaced atomically). */
  calibrationFile: string;
}

export function dataDirLayout(config: Readonly<Pick<Config, 'storage' | 'training' | 'actuator'>>): DataDirLayout {
  const dir = config.storage.dataDir;
  return {
    historyFile: join(dir, 'history.sqlite'),
    modelsDir: config.training.modelsDir ?? join(dir, 'models'),
    trainingLockFile: config.training.lockFile ?? join(dir, 'training.lock'),
    auditLogFile: config.actuator.auditLog ?? join(dir, 'actuator-audit.jsonl'),
    decisionsFile: join(dir, 'decisions.sqlite'),
    accuracyFile: join(dir, 'accuracy.json'),
    calibrationFile: join(dir, 'decision-calibration.json'),
  };
}
