import { Module } from '@nestjs/common';
import { MessagingModule } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { LedgerConsumer } from './events/ledger.consumer';
import { AuditEntriesController } from './http/audit-entries.controller';
import { AuditIntegrityController } from './http/audit-integrity.controller';
import { LedgerKeys } from './keys/ledger-keys';
import { PiiDataKeys } from './keys/pii-data-keys';
import { AUDIT_SCHEMA } from './store/audit-schema';
import { LedgerQueries } from './store/ledger-queries';
import { LedgerRepository } from './store/ledger.repository';
import { AUDIT_MIGRATIONS } from './store/migrations';
import { AppendEvents } from './use-cases/append-events.use-case';
import { AuditSchedule } from './use-cases/audit-schedule';
import { CreateCheckpoints } from './use-cases/create-checkpoints.use-case';
import { ExportLedger } from './use-cases/export-ledger.use-case';
import { LineageQuery } from './use-cases/lineage.query';
import { QueryEntries } from './use-cases/query-entries.query';
import { RevealPii } from './use-cases/reveal-pii.use-case';
import { VerifyLedger } from './use-cases/verify-ledger.use-case';

/** The audit-ledger service: owns the `audit` schema, consumes every topic, publishes audit.checkpoints. */
@Module({
  imports: [
    DatabaseModule.forService({ schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }),
    MessagingModule.forService({ schema: AUDIT_SCHEMA }),
  ],
  controllers: [LedgerConsumer, AuditEntriesController, AuditIntegrityController],
  providers: [
    LedgerRepository,
    LedgerQueries,
    LedgerKeys,
    PiiDataKeys,
    AppendEvents,
    CreateCheckpoints,
    VerifyLedger,
    ExportLedger,
    QueryEntries,
    LineageQuery,
    RevealPii,
    AuditSchedule,
  ],
  exports: [AppendEvents, VerifyLedger, CreateCheckpoints],
})
export class AuditModule {}
