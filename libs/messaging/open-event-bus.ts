import type { AppConfig } from '@personae/config';
import type { RetryPolicy } from './backoff';
import { EventBus } from './event-bus';
import type { EventTransport } from './event-transport.port';
import { KafkaTransport } from './kafka/kafka.transport';
import { PostgresLogTransport } from './postgres-log/postgres-log.transport';
import { MESSAGING_SCHEMA } from './store/messaging-schema';
import { ProcessedEventStore } from './store/processed-event.store';

export interface EventBusOptions {
  /** Schema of the Postgres log and of consumer-group state (processed ids); default `messaging`. */
  schema?: string;
  /** Kafka only: prefix of topic and group names. */
  kafkaNamePrefix?: string;
  retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
}

/** Opens the transport AppConfig chooses (KAFKA_BROKERS set: Kafka; otherwise the Postgres log). */
export async function openEventBus(config: AppConfig, options: EventBusOptions = {}): Promise<EventBus> {
  const url = config.databaseUrl;
  if (!url) throw new Error('the database URL is resolved before the event bus opens');
  const schema = options.schema ?? MESSAGING_SCHEMA;
  const transport = await openTransport(config, url, schema, options);
  try {
    const processed = await ProcessedEventStore.open(url, schema);
    return new EventBus(transport, processed, { ...options.retry, maxAttempts: config.eventMaxAttempts });
  } catch (error) {
    await transport.close();
    throw error;
  }
}

async function openTransport(
  config: AppConfig,
  url: string,
  schema: string,
  options: EventBusOptions,
): Promise<EventTransport> {
  switch (config.eventTransport) {
    case 'postgres':
      return PostgresLogTransport.open({
        url,
        schema,
        partitions: config.eventLogPartitions,
        poolSize: config.dbPoolSize,
      });
    case 'kafka':
      return KafkaTransport.open({ ...config.kafka, namePrefix: options.kafkaNamePrefix });
  }
}
