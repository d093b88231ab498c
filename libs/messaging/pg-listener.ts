import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { sleep } from './backoff';

type Handler = (payload: string) => void;

/**
 * One LISTEN connection per owner, re-established after a drop. Notifications sent while
 * it was down are lost, so `onReconnect` callbacks catch up (and callers poll as well).
 */
export class PgListener {
  private client?: Client;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private closing = false;
  private reconnecting?: Promise<void>;
  /** LISTENs on the one client must not overlap (pg 9 will refuse it). */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly logger = new Logger('PgListener');

  constructor(private readonly url: string) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    this.client = await this.connect();
  }

  /** Subscribes to a channel; returns the unsubscribe function. */
  async listen(channel: string, handler: Handler): Promise<() => void> {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      const run = this.tail.then(() => this.client?.query(`LISTEN ${quoteChannel(channel)}`));
      this.tail = run.catch(() => undefined);
      await run;
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    await this.reconnecting;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.url, application_name: 'personae:listener' });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`);
    return client;
  }

  private lost(client: Client, error?: Error): void {
    if (this.closing || this.client !== client) return;
    this.client = undefined;
    this.logger.warn(`LISTEN connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.reconnecting = this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      await sleep(Math.min(5000, 100 * 2 ** attempt));
      if (this.closing) return;
      try {
        const client = await this.connect();
        if (this.closing) {
          await client.end();
          return;
        }
        this.client = client;
        for (const handler of this.reconnectHandlers) handler();
        return;
      } catch (error) {
        this.logger.warn(`LISTEN reconnect failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Channel names are quoted identifiers; ours only contain safe characters, checked here. */
export function quoteChannel(channel: string): string {
  if (!/^[a-z0-9_:.-]{1,63}$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  return `"${channel}"`;
}
