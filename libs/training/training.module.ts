import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { TRAINING_MIGRATIONS } from './store/migrations';

/** The training-session service: owns the `training` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'training', migrations: TRAINING_MIGRATIONS })],
})
export class TrainingModule {}
