import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { RUNTIME_MIGRATIONS } from './store/migrations';

/** The runtime-orchestrator service: owns the `runtime` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'runtime', migrations: RUNTIME_MIGRATIONS })],
})
export class RuntimeModule {}
