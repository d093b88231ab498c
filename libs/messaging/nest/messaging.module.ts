import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { EventBus } from '../event-bus';
import { EVENT_TRANSPORT } from '../event-transport.port';
import { openEventBus, type EventBusOptions } from '../open-event-bus';
import { EventPublisher } from '../outbox/event.publisher';
import type { OutboxRelayOptions } from '../outbox/outbox.relay';
import { PgListener } from '../pg-listener';
import { EventConsumerServer } from './event-consumer.server';
import { MessagingLifecycle, OUTBOX_LISTENER } from './messaging-lifecycle';

const MESSAGING_OPTIONS = Symbol('personae:messaging-options');

/**
 * `MessagingModule.forRoot()` once in the root module: the bus (transport from AppConfig),
 * the publisher, the consumer strategy. `MessagingModule.forService({ schema })` in each
 * service module whose schema has an outbox: this process relays it.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: EventBusOptions = {}): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: EventBus,
          inject: [APP_CONFIG, MESSAGING_OPTIONS],
          useFactory: (config: AppConfig, busOptions: EventBusOptions) => openEventBus(config, busOptions),
        },
        { provide: EVENT_TRANSPORT, inject: [EventBus], useFactory: (bus: EventBus) => bus.transport },
        {
          provide: OUTBOX_LISTENER,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            if (!config.databaseUrl) throw new Error('the database URL is resolved before modules start');
            const listener = new PgListener(config.databaseUrl);
            await listener.start();
            return listener;
          },
        },
        EventPublisher,
        EventConsumerServer,
        MessagingLifecycle,
      ],
      exports: [EventBus, EVENT_TRANSPORT, EventPublisher, EventConsumerServer, MessagingLifecycle],
    };
  }

  static forService(options: OutboxRelayOptions): DynamicModule {
    const token = `personae:outbox:${options.schema}`;
    return {
      module: MessagingModule,
      providers: [
        {
          provide: token,
          inject: [MessagingLifecycle],
          useFactory: (lifecycle: MessagingLifecycle) => {
            lifecycle.addOutbox(options);
            return options;
          },
        },
      ],
    };
  }
}
