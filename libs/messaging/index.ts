// Port and records
export * from './event-transport.port';
export { toOutgoingRecord, headersOf } from './event-record';
export { partitionFor } from './partitioner';
export { Coalescer } from './coalescer';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './backoff';

// Bus, transports, consumer-group state
export { EventBus } from './event-bus';
export { openEventBus, type EventBusOptions } from './open-event-bus';
export { PostgresLogTransport, type PostgresLogOptions } from './postgres-log/postgres-log.transport';
export { KafkaTransport, type KafkaTransportOptions } from './kafka/kafka.transport';
export { ProcessedEventStore } from './store/processed-event.store';
export { MESSAGING_SCHEMA, MESSAGING_MIGRATIONS, migrateMessagingSchema } from './store/messaging-schema';

// Consumers
export { EventContext } from './consumer/event-context';
export { BatchContext } from './consumer/batch-context';
export {
  ConsumerClosingError,
  DEFAULT_MAX_BATCH,
  type BatchEventHandler,
  type BatchEventHandlers,
  type ConsumerOptions,
  type EventHandler,
  type EventHandlers,
} from './consumer/idempotent-consumer';

// Outbox
export { EventPublisher } from './outbox/event.publisher';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox.relay';
export { CreateOutbox1732190000000, outboxTableSql } from './outbox/create-outbox.migration';
export { outboxChannel } from './outbox/outbox-channel';
export { OutboxWake, OUTBOX_WAKE_WINDOW_MS } from './outbox/outbox-wake';
export { PgListener } from './pg-listener';

// Nest
export { MessagingModule } from './nest/messaging.module';
export { MessagingLifecycle } from './nest/messaging-lifecycle';
export { EventConsumerServer } from './nest/event-consumer.server';
export {
  OnEvent,
  OnEvents,
  PERSONAE_EVENTS,
  type OnEventOptions,
  type OnEventsOptions,
} from './nest/on-event.decorator';
export { connectEventConsumers } from './nest/connect-event-consumers';
export { messagingMetrics } from './metrics';
