import { Module } from '@nestjs/common';
import { KnowledgeModule } from '@personae/knowledge';
import { DatabaseModule } from '@personae/persistence';
import { SYNTHESIS_MIGRATIONS } from './store/migrations';

/**
 * The synthesis-pipeline service: owns the `synthesis` schema and hosts knowledge snapshots
 * (KnowledgeModule, `knowledge` schema). Its domain arrives with its own issue.
 */
@Module({
  imports: [
    DatabaseModule.forService({ schema: 'synthesis', migrations: SYNTHESIS_MIGRATIONS }),
    KnowledgeModule,
  ],
})
export class SynthesisModule {}
