import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { SYNTHESIS_MIGRATIONS } from './store/migrations';

/** The synthesis-pipeline service: owns the `synthesis` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'synthesis', migrations: SYNTHESIS_MIGRATIONS })],
})
export class SynthesisModule {}
