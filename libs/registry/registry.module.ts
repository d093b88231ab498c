import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { REGISTRY_MIGRATIONS } from './store/migrations';

/** The persona-registry service: owns the `registry` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'registry', migrations: REGISTRY_MIGRATIONS })],
})
export class RegistryModule {}
