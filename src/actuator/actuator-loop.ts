import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import type { KubernetesActuator } from './kubernetes-actuator';

/**
 * Drives the actuator in the background: a Lease round every `leaseDuration / 3` (client-go
 * renews at about that cadence), and the plan applied every `interval` while this instance
 * leads (at once on becoming leader). Timers are unref'd so they never keep the process alive.
 */
export class ActuatorLoop {
  private timer: NodeJS.Timeout | null = null;
  private lastActMs: number | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly actuator: KubernetesActuator,
    private readonly o: { intervalSeconds: number; leaseDurationSeconds: number; clock: Clock; logger: Logger },
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.actuator.stop();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(Math.max(1000, (this.o.leaseDurationSeconds * 1000) / 3));
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const leader = await this.actuator.elect();
      if (!leader) {
        this.lastActMs = null;
        return;
      }
      const now = this.o.clock.now();
      if (this.lastActMs !== null && now - this.lastActMs < this.o.intervalSeconds * 1000) return;
      this.lastActMs = now;
      await this.actuator.act();
    } catch (err) {
      this.o.logger.error({ err }, 'actuator round failed; retrying next round');
    }
  }
}
