import { Logger } from '@nestjs/common';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { isTopic, TOPICS, type Topic } from '@personae/contracts';
import { pickHeaders } from '../event-record';
import type {
  DeliveredRecord,
  EventTransport,
  OutgoingRecord,
  PartitionLag,
  SubscribeOptions,
  Subscription,
} from '../event-transport.port';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** KAFKA_PARTITIONS and KAFKA_REPLICATION_FACTOR of the topics created at start. */
  partitions: number;
  replicationFactor: number;
  /** Prepended to topic and group names (tests isolate themselves with it). */
  namePrefix?: string;
}

/**
 * The scale-out event bus on Kafka: an idempotent producer (no duplicates from producer
 * retries, order kept per partition), every topic created at start, consumer groups that
 * commit offsets only after the batch was handled. Value and headers are exactly the
 * Postgres log's, so consumers cannot tell the transports apart.
 */
export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  readonly uniqueEventIds = false;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly options: Required<KafkaTransportOptions>,
  ) {}

  static async open(input: KafkaTransportOptions): Promise<KafkaTransport> {
    const options: Required<KafkaTransportOptions> = { ...input, namePrefix: input.namePrefix ?? '' };
    if (options.brokers.length === 0) throw new Error('KAFKA_BROKERS names no broker');
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: TOPICS.map((topic) => ({
          topic: options.namePrefix + topic,
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor,
        })),
      });
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // murmur2(key) % partitions, the same function the Postgres log uses.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return new KafkaTransport(kafka, admin, producer, options);
    } catch (error) {
      await admin.disconnect();
      throw error;
    }
  }

  async append(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka transport is closed');
    if (records.length === 0) return;
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const name = this.options.namePrefix + record.topic;
      byTopic.set(name, [...(byTopic.get(name) ?? []), record]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((record) => ({
          key: record.key,
          value: record.value,
          headers: { ...record.headers },
        })),
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('the Kafka transport is closed');
    const prefix = this.options.namePrefix;
    const groupId = prefix + options.group;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    const stopping = new AbortController();
    await consumer.connect();
    try {
      await consumer.subscribe({
        topics: options.topics.map((topic) => prefix + topic),
        fromBeginning: true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitions,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const topic = batch.topic.slice(prefix.length);
          const last = batch.messages.at(-1);
          if (!isTopic(topic) || !last || !isRunning() || isStale()) return;
          const records = batch.messages.map((message) => toDelivered(topic, batch.partition, message));
          try {
            await options.handle({
              topic,
              partition: batch.partition,
              records,
              heartbeat,
              signal: stopping.signal,
              // A relay that re-sent after a crash leaves a second record: any batch may repeat an event.
              mayRepeat: true,
            });
          } catch (error) {
            // Stopping: leave the offsets uncommitted; the next member starts from them.
            if (stopping.signal.aborted) return;
            throw error; // kafkajs restarts the consumer, which fetches again from the committed offset
          }
          resolveOffset(last.offset);
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
          await heartbeat();
        },
      });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    const subscription: Subscription = {
      group: options.group,
      lag: () => this.lag(groupId, options.topics),
      close: async () => {
        this.subscriptions.delete(subscription);
        stopping.abort();
        await consumer.disconnect();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the Kafka transport is closed');
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  private async lag(groupId: string, topics: readonly Topic[]): Promise<PartitionLag[]> {
    const prefix = this.options.namePrefix;
    const committed = await this.admin.fetchOffsets({
      groupId,
      topics: topics.map((topic) => prefix + topic),
    });
    const lags: PartitionLag[] = [];
    for (const { topic: name, partitions } of committed) {
      const topic = name.slice(prefix.length);
      if (!isTopic(topic)) continue;
      const ends = await this.admin.fetchTopicOffsets(name);
      for (const end of ends) {
        const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
        const from = offset >= 0 ? offset : Number(end.low);
        lags.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
    return lags;
  }
}

function toDelivered(topic: Topic, partition: number, message: KafkaMessage): DeliveredRecord {
  const headers = pickHeaders(message.headers);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key?.toString('utf8') ?? '',
    eventId: headers.id ?? '',
    headers,
    value: message.value?.toString('utf8') ?? '',
  };
}

/** kafkajs logs through Nest's logger, like everything else in the process. */
function nestLogCreator(): (entry: LogEntry) => void {
  const logger = new Logger('Kafka');
  return ({ level, log }) => {
    const text = `${log.message}${log.error ? `: ${String(log.error)}` : ''}`;
    if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else logger.debug?.(text);
  };
}
