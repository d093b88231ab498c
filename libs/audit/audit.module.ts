import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { AUDIT_MIGRATIONS } from './store/migrations';

/** The audit-ledger service: owns the `audit` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'audit', migrations: AUDIT_MIGRATIONS })],
})
export class AuditModule {}
