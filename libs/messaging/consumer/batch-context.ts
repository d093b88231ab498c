import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope, Topic } from '@personae/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveredRecord } from '../event-transport.port';
import type { ProcessedEventStore } from '../store/processed-event.store';

/**
 * What a batch handler knows about the delivery (Nest: `@Ctx()`): the records of one topic
 * partition, in offset order, and `applyBatchOnce` to make the batch's database effects
 * exactly once.
 */
export class BatchContext<T extends Topic = Topic> extends BaseRpcContext<[readonly DeliveredRecord[]]> {
  /** Set by `@OnEvents` when the handler threw, so the real error reaches retries and dead letters. */
  failure?: { error: unknown };

  constructor(
    readonly group: string,
    readonly topic: T,
    readonly partition: number,
    /** The validated events handed to the handler, in offset order. */
    readonly events: readonly EventEnvelope<T>[],
    readonly records: readonly DeliveredRecord[],
    /** 1 on first delivery of this batch, then 2, 3... up to EVENT_MAX_ATTEMPTS. */
    readonly attempt: number,
    /** True once a failed batch is being retried one event at a time to isolate the failing one. */
    readonly isolating: boolean,
    private readonly processed: ProcessedEventStore,
  ) {
    super([records]);
  }

  /**
   * Runs `work` in one transaction of `dataSource` that also records every event of the
   * batch as processed by this group; `work` receives only the events not processed before
   * (in order) and is not called when there are none. Returns those events. The data source
   * must point at the database that holds the messaging schema.
   */
  async applyBatchOnce(
    dataSource: DataSource,
    work: (manager: EntityManager, fresh: EventEnvelope<T>[]) => Promise<void>,
  ): Promise<EventEnvelope<T>[]> {
    return dataSource.transaction(async (manager) => {
      const marked = await this.processed.markManyInTransaction(
        manager,
        this.group,
        this.events.map((event) => event.id),
      );
      const fresh = this.events.filter((event) => marked.has(event.id));
      if (fresh.length > 0) await work(manager, fresh);
      return fresh;
    });
  }
}
