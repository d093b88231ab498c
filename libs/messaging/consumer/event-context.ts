import { BaseRpcContext } from '@nestjs/microservices';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveredRecord } from '../event-transport.port';
import type { ProcessedEventStore } from '../store/processed-event.store';

/**
 * What a handler knows about the delivery besides the event (Nest: `@Ctx()`), and the way
 * to make its database effects exactly once: `applyOnce` commits them together with the
 * group's processed-id mark.
 */
export class EventContext extends BaseRpcContext<[DeliveredRecord]> {
  /** Set by `@OnEvent` when the handler threw, so the real error reaches retries and dead letters. */
  failure?: { error: unknown };

  constructor(
    readonly group: string,
    readonly eventId: string,
    readonly record: DeliveredRecord,
    /** 1 on first delivery, then 2, 3... up to EVENT_MAX_ATTEMPTS. */
    readonly attempt: number,
    private readonly processed: ProcessedEventStore,
  ) {
    super([record]);
  }

  get topic(): string {
    return this.record.topic;
  }

  get partition(): number {
    return this.record.partition;
  }

  get offset(): number {
    return this.record.offset;
  }

  /**
   * Runs `work` in a transaction of `dataSource` that also records the event as processed
   * by this group. Returns false, without running `work`, when the group already did it.
   * The data source must point at the database that holds the messaging schema.
   */
  async applyOnce(dataSource: DataSource, work: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return dataSource.transaction(async (manager) => {
      if (!(await this.processed.markInTransaction(manager, this.group, this.eventId))) return false;
      await work(manager);
      return true;
    });
  }
}
