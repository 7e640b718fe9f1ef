import type { EpochProgress } from '../../models/lstm/lstm-training';

/**
 * Training progress for `prescale train`: one rewritten status line on a terminal, plain
 * `key=value` log lines otherwise (so a Kubernetes Job's log stays readable).
 */
export function trainingProgress(stream: NodeJS.WriteStream = process.stderr): { epoch(series: string, p: EpochProgress): void; done(): void } {
  let drawn = false;
  return {
    epoch(series, p) {
      const fields = `series=${series} epoch=${p.epoch}/${p.maxEpochs} loss=${p.loss.toFixed(4)} val_loss=${p.valLoss.toFixed(4)} elapsed_s=${(p.elapsedMs / 1000).toFixed(1)} left_s≤${(p.etaMs / 1000).toFixed(0)}`;
      if (stream.isTTY) {
        const line = `${series}  epoch ${p.epoch}/${p.maxEpochs}  loss ${p.loss.toFixed(4)}  val ${p.valLoss.toFixed(4)}  ${(p.elapsedMs / 1000).toFixed(0)}s elapsed, ≤${(p.etaMs / 1000).toFixed(0)}s left`;
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stream.write(`${fields}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
