import type { FactoryProvider } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { dataSourceToken } from '@personae/persistence';
import { outboxChannel } from './outbox-channel';

/** How long a wake-up may wait for others to join it. */
export const OUTBOX_WAKE_WINDOW_MS = 50;

/**
 * Wakes a schema's outbox relay (in whichever process holds it) after commits that wrote outbox rows,
 * once per window for all of them. The rows and their events still commit together; only the NOTIFY
 * — a hint, the relay also polls every second — leaves the commit. A NOTIFY inside a commit holds
 * Postgres' notification queue lock until the commit is durable, so concurrent notifying commits
 * queue behind each other's fsync instead of sharing one; and it woke the relay, and after it every
 * consumer, once per request. Woken once for a window's worth, they work in batches.
 */
export class OutboxWake {
  /** The Nest provider of a service module's OutboxWake, for its schema's data source. */
  static provider(schema: string): FactoryProvider<OutboxWake> {
    return {
      provide: OutboxWake,
      useFactory: (dataSource: DataSource) => new OutboxWake(dataSource, schema),
      inject: [dataSourceToken(schema)],
    };
  }

  private timer?: NodeJS.Timeout;
  private readonly channel: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.channel = outboxChannel(schema);
  }

  /** After a commit that wrote outbox rows: the relay hears of it within the window. */
  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.notify();
    }, OUTBOX_WAKE_WINDOW_MS);
    this.timer.unref();
  }

  /** At shutdown (Nest calls it): a wake-up still pending is sent now. */
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
