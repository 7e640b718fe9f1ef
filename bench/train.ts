import { execFileSync } from 'node:child_process';
import { LstmForecaster } from '../models/lstm/lstm';
import type { LstmTrainingInfo } from '../models/lstm/lstm';
import { SeasonalForecaster } from '../models/seasonal/seasonal';
import { AUTO_ORDER, type TfBackend, selectBackend } from '../models/tf-backend/backend-selection';
import { tfjsBackendLoader } from '../models/tf-backend/tfjs-backend-loader';
import { formatTable } from '../main/cli/format-table';
import { loadTraces } from './lib/traces';

/**
 * bench:train — LSTM fit time on a two-week, 5-minute series (the NAB ELB trace, 4,040
 * steps, 1 h horizon) on each TensorFlow.js backend that loads here, with the peak memory
 * of the process that ran it. Each backend runs in its own child process so that peak RSS
 * belongs to that backend alone. The epoch count is fixed (no early stopping, no time
 * budget) so backends do the same work; the seasonal model's fit is the statistical peer.
 */
const TRACE = 'nab_elb_request_count_8c0756';
const EPOCHS = 5;

interface Row {
  backend: string;
  status: string;
  fitSeconds?: number;
  epochs?: number;
  samples?: number;
  valLoss?: number;
  peakRssMb?: number;
}

async function child(backend: TfBackend | 'seasonal'): Promise<void> {
  const series = loadTraces().find((t) => t.name === TRACE)!.series;
  const horizonSteps = 12;
  const started = performance.now();
  if (backend === 'seasonal') {
    await new SeasonalForecaster({ horizonSteps }).fit(series);
    report({ backend: 'seasonal (statistical peer)', status: 'ok', fitSeconds: (performance.now() - started) / 1000 });
    return;
  }
  try {
    await selectBackend(backend, tfjsBackendLoader);
  } catch (err) {
    const missing = /Cannot find module/.test((err as Error).message);
    report({ backend, status: missing ? 'not installed (optional package)' : `failed: ${(err as Error).message.slice(0, 60)}` });
    return;
  }
  const fitted = await new LstmForecaster({ horizonSteps, backend, maxEpochs: EPOCHS, patience: 1000, timeBudgetSeconds: 3600 }).fit(series);
  const info = (fitted as unknown as { info: LstmTrainingInfo }).info;
  report({ backend, status: 'ok', fitSeconds: info.fitSeconds, epochs: info.epochs, samples: info.samples, valLoss: info.bestValLoss });
}

function report(row: Row): void {
  process.stdout.write(`${JSON.stringify({ ...row, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function main(): void {
  const rows: string[][] = [['backend', 'status', 'fit s', 'epochs', 's/epoch', 'windows', 'val loss', 'peak RSS MB']];
  for (const backend of [...AUTO_ORDER, 'seasonal'] as const) {
    const out = execFileSync(process.execPath, [__filename, backend], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Row;
    const ok = r.fitSeconds !== undefined;
    rows.push([
      r.backend,
      r.status,
      ok ? r.fitSeconds!.toFixed(1) : '-',
      r.epochs !== undefined ? String(r.epochs) : '-',
      r.epochs ? (r.fitSeconds! / r.epochs).toFixed(2) : '-',
      r.samples !== undefined ? String(r.samples) : '-',
      r.valLoss !== undefined ? r.valLoss.toFixed(4) : '-',
      ok ? r.peakRssMb!.toFixed(0) : '-',
    ]);
    process.stderr.write(`${r.backend}: ${r.status}\n`);
  }
  process.stdout.write(`LSTM fit, ${TRACE} (two weeks at 5 min), ${EPOCHS} epochs, default hyper-parameters\n`);
  process.stdout.write(formatTable(rows));
}

const arg = process.argv[2];
if (arg) {
  child(arg as TfBackend | 'seasonal').catch((err: unknown) => {
    process.stderr.write(`bench:train ${arg} failed: ${String(err)}\n`);
    process.exitCode = 1;
  });
} else {
  main();
}
