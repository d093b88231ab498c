import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { GOVERNANCE_MIGRATIONS } from './store/migrations';

/** The governance-policy service: owns the `governance` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'governance', migrations: GOVERNANCE_MIGRATIONS })],
})
export class GovernanceModule {}
