import { Module } from '@nestjs/common';
import { AuthModule } from '@personae/auth';
import { KnowledgeModule } from '@personae/knowledge';
import { MessagingModule } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { TrainingEventsConsumer } from './events/training-events.consumer';
import { SynthesisController } from './http/synthesis.controller';
import { RegistryAccess } from './registry/registry-access';
import { SYNTHESIS_MIGRATIONS } from './store/migrations';
import { SYNTHESIS_SCHEMA } from './store/synthesis-schema';
import { IngestTrainingEvent } from './use-cases/ingest-training-event.use-case';
import { PromptRewriter } from './use-cases/prompt-rewriter';
import { RunSynthesis } from './use-cases/run-synthesis.use-case';
import { SynthesisWorker } from './use-cases/synthesis.worker';

/**
 * The synthesis-pipeline service: consumes the training topics into the `synthesis` schema, turns
 * each closed session into a draft in the registry (over HTTP) and publishes synthesis.drafts. It
 * hosts knowledge snapshots (KnowledgeModule, `knowledge` schema) and builds each session's through
 * KnowledgeService in process.
 */
@Module({
  imports: [
    DatabaseModule.forService({ schema: SYNTHESIS_SCHEMA, migrations: SYNTHESIS_MIGRATIONS }),
    MessagingModule.forService({ schema: SYNTHESIS_SCHEMA }),
    AuthModule,
    KnowledgeModule,
  ],
  controllers: [TrainingEventsConsumer, SynthesisController],
  providers: [RegistryAccess, PromptRewriter, RunSynthesis, IngestTrainingEvent, SynthesisWorker],
  exports: [RunSynthesis],
})
export class SynthesisModule {}
