import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RunSynthesis } from './run-synthesis.use-case';

const ROUND_MS = 2000;

/**
 * Picks up what events alone do not finish: runs whose attempt failed (after a backoff), runs whose
 * worker crashed (lease expired), and sessions closed more than a minute ago whose events never all
 * arrived (run with what is there, and the draft says what is missing). State lives in the database,
 * so any replica's worker can take any run.
 */
@Injectable()
export class SynthesisWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SynthesisWorker');
  private timer?: NodeJS.Timeout;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly runner: RunSynthesis) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round = this.round.then(() => this.sweep());
    }, ROUND_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  /** One round: every pending run, oldest first. */
  async sweep(): Promise<void> {
    try {
      for (const run of await this.runner.runs.pending()) {
        if (this.stopped) return;
        await this.runner.runIfReady(run.sessionId, run.state === 'waiting' && run.overdue);
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn(`synthesis worker round failed: ${String(error)}`);
    }
  }
}
