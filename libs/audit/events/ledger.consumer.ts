import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import type { EventEnvelope } from '@personae/contracts';
import { OnEvents } from '@personae/messaging';
import { AppendEvents } from '../use-cases/append-events.use-case';

export const AUDIT_GROUP = 'audit-ledger';
/** One fetch of a partition (the Postgres log fetches 500): one append for all of it. */
const group = { group: AUDIT_GROUP, maxBatch: 500 };

/**
 * The ledger consumes every topic but its own `audit.checkpoints` (checkpoints are stored in their
 * own table; recording them as entries would make every checkpoint create the next one). The
 * ledger takes a partition's fetched batch per append (one transaction, chain computed in memory), and is
 * idempotent on event id, so no processed-id mark is needed (applyOnce): its
 * unique index never forgets, while processed ids expire with the log's retention.
 */
@Controller()
export class LedgerConsumer {
  constructor(
    private readonly append: AppendEvents,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // On the Postgres log the offsets share the ledger's WAL, so commits need not wait for it.
    append.useDurability(config.eventTransport === 'postgres' ? 'wal-ordered' : 'durable');
  }

  @OnEvents('training.session', group)
  onTrainingSession(@Payload() events: EventEnvelope<'training.session'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('training.conversation', group)
  onConversation(@Payload() events: EventEnvelope<'training.conversation'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('training.tools', group)
  onTools(@Payload() events: EventEnvelope<'training.tools'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('training.annotations', group)
  onAnnotations(@Payload() events: EventEnvelope<'training.annotations'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('training.attachments', group)
  onAttachments(@Payload() events: EventEnvelope<'training.attachments'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('synthesis.drafts', group)
  onDrafts(@Payload() events: EventEnvelope<'synthesis.drafts'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('persona.lifecycle', group)
  onLifecycle(@Payload() events: EventEnvelope<'persona.lifecycle'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('governance.decisions', group)
  onDecisions(@Payload() events: EventEnvelope<'governance.decisions'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('runtime.executions', group)
  onExecutions(@Payload() events: EventEnvelope<'runtime.executions'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('runtime.swaps', group)
  onSwaps(@Payload() events: EventEnvelope<'runtime.swaps'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }

  @OnEvents('deadletter', group)
  onDeadLetter(@Payload() events: EventEnvelope<'deadletter'>[]): Promise<void> {
    return this.append.executeBatch(events);
  }
}

/** Topics the ledger records: every topic but its own. */
export const LEDGER_TOPICS = [
  'training.session',
  'training.conversation',
  'training.tools',
  'training.annotations',
  'training.attachments',
  'synthesis.drafts',
  'persona.lifecycle',
  'governance.decisions',
  'runtime.executions',
  'runtime.swaps',
  'deadletter',
] as const;
