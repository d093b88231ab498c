import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import type { EventEnvelope } from '@personae/contracts';
import { OnEvent } from '@personae/messaging';
import { AppendEvents } from '../use-cases/append-events.use-case';

export const AUDIT_GROUP = 'audit-ledger';
const group = { group: AUDIT_GROUP };

/**
 * The ledger consumes every topic but its own `audit.checkpoints` (checkpoints are stored in their
 * own table; recording them as entries would make every checkpoint create the next one). The
 * ledger itself is idempotent on event id, so no processed-id mark is needed (applyOnce): its
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

  @OnEvent('training.session', group)
  onTrainingSession(@Payload() event: EventEnvelope<'training.session'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('training.conversation', group)
  onConversation(@Payload() event: EventEnvelope<'training.conversation'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('training.tools', group)
  onTools(@Payload() event: EventEnvelope<'training.tools'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('training.annotations', group)
  onAnnotations(@Payload() event: EventEnvelope<'training.annotations'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('training.attachments', group)
  onAttachments(@Payload() event: EventEnvelope<'training.attachments'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('synthesis.drafts', group)
  onDrafts(@Payload() event: EventEnvelope<'synthesis.drafts'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('persona.lifecycle', group)
  onLifecycle(@Payload() event: EventEnvelope<'persona.lifecycle'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('governance.decisions', group)
  onDecisions(@Payload() event: EventEnvelope<'governance.decisions'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('runtime.executions', group)
  onExecutions(@Payload() event: EventEnvelope<'runtime.executions'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('runtime.swaps', group)
  onSwaps(@Payload() event: EventEnvelope<'runtime.swaps'>): Promise<void> {
    return this.append.execute(event);
  }

  @OnEvent('deadletter', group)
  onDeadLetter(@Payload() event: EventEnvelope<'deadletter'>): Promise<void> {
    return this.append.execute(event);
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
