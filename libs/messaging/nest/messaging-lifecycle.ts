import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { dataSourceToken } from '@personae/persistence';
// Deep import: service-kit's index imports this library, and a cycle would leave the class undefined here.
import { ReadinessRegistry } from '@personae/service-kit/readiness';
import { EventBus } from '../event-bus';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox.relay';
import type { PgListener } from '../pg-listener';
import { EventConsumerServer } from './event-consumer.server';

export const OUTBOX_LISTENER = Symbol('personae:outbox-listener');

/**
 * Orders start and stop: relays start at bootstrap; on shutdown consumers stop first (they
 * may still publish), then every outbox is drained, and only then (onApplicationShutdown)
 * the bus closes, alongside the data sources.
 */
@Injectable()
export class MessagingLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly outboxes = new Map<string, OutboxRelayOptions>();
  private readonly relays: OutboxRelay[] = [];
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly bus: EventBus,
    private readonly server: EventConsumerServer,
    @Inject(OUTBOX_LISTENER) private readonly listener: PgListener,
    private readonly moduleRef: ModuleRef,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    readiness?.register('bus', () => bus.ping());
  }

  /** Called by `MessagingModule.forService`: this process relays the schema's outbox. */
  addOutbox(options: OutboxRelayOptions): void {
    this.outboxes.set(options.schema, options);
  }

  relay(schema: string): OutboxRelay | undefined {
    return this.relays.find((relay) => relay.schema === schema);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const options of this.outboxes.values()) {
      if (this.relay(options.schema)) continue;
      const dataSource = this.moduleRef.get<DataSource>(dataSourceToken(options.schema), { strict: false });
      const relay = new OutboxRelay(
        dataSource,
        (records) => this.bus.append(records),
        this.listener,
        options,
      );
      await relay.start();
      this.relays.push(relay);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server.close();
    await Promise.all(this.relays.map((relay) => relay.stop()));
    this.logger.log(`stopped consumers and drained ${this.relays.length} outbox(es)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.listener.close();
  }
}
