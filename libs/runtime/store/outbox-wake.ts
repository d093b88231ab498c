import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { outboxChannel } from '@personae/messaging';
import { InjectDataSource } from '@personae/persistence';
import { RUNTIME_SCHEMA } from './runtime-schema';

/** How long a wake-up may wait for others to join it. */
export const OUTBOX_WAKE_WINDOW_MS = 50;

/**
 * Wakes the runtime schema's outbox relay (in whichever process holds it) after executions and swaps
 * committed, once per window for all of them. The rows and their events commit together in the
 * statement as before; only the NOTIFY — a hint, the relay also polls every second — leaves the
 * commit: it cost every request a signalled listener inside its commit, and woke the relay (and
 * after it every consumer) once per request. Woken once for a window's worth, they work in batches.
 */
@Injectable()
export class OutboxWake implements OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly channel = outboxChannel(RUNTIME_SCHEMA);

  constructor(@InjectDataSource(RUNTIME_SCHEMA) private readonly dataSource: DataSource) {}

  /** After a commit that wrote outbox rows: the relay hears of it within the window. */
  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.notify();
    }, OUTBOX_WAKE_WINDOW_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.notify();
  }

  private async notify(): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    // A lost wake-up only delays the events until the relay's next poll.
    await pool?.query(`SELECT pg_notify($1, '')`, [this.channel]).catch(() => undefined);
  }
}
