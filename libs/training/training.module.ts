import { Module } from '@nestjs/common';
import { MessagingModule, OutboxWake } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { SessionArchiver } from './archive/session-archiver';
import { BasePersonaGateway } from './base/base-persona.gateway';
import { TrainingRecorder } from './events/training.recorder';
import { ArchiveController } from './http/archive.controller';
import { AttachmentsController } from './http/attachments.controller';
import { SessionActivityController } from './http/session-activity.controller';
import { TrainingSessionsController } from './http/training-sessions.controller';
import { SessionQueries } from './queries/sessions.query';
import { TRAINING_MIGRATIONS } from './store/migrations';
import { PreparedDb } from './store/prepared-db';
import { TRAINING_SCHEMA } from './store/training-schema';
import { RecentEvents } from './events/recent-events';
import { AnnotateEventUseCase } from './use-cases/annotate-event.use-case';
import { CloseSessionUseCase } from './use-cases/close-session.use-case';
import { RecordPolicyDecisionUseCase } from './use-cases/record-policy-decision.use-case';
import { RecordToolRunUseCase } from './use-cases/record-tool-run.use-case';
import { SendMessageUseCase } from './use-cases/send-message.use-case';
import { StartSessionUseCase } from './use-cases/start-session.use-case';
import { UploadAttachmentUseCase } from './use-cases/upload-attachment.use-case';

/**
 * The training-session service: owns the `training` schema, publishes training.* through its outbox,
 * and archives closed sessions to the encrypted object store. Needs the root module's StorageModule
 * (ENCRYPTED_OBJECT_STORE) and ModelsModule (MODEL_PROVIDER), which service-kit provides.
 */
@Module({
  imports: [
    DatabaseModule.forService({ schema: TRAINING_SCHEMA, migrations: TRAINING_MIGRATIONS }),
    MessagingModule.forService({ schema: TRAINING_SCHEMA }),
  ],
  controllers: [
    TrainingSessionsController,
    SessionActivityController,
    AttachmentsController,
    ArchiveController,
  ],
  providers: [
    PreparedDb,
    OutboxWake.provider(TRAINING_SCHEMA),
    TrainingRecorder,
    RecentEvents,
    BasePersonaGateway,
    SessionArchiver,
    SessionQueries,
    StartSessionUseCase,
    SendMessageUseCase,
    RecordToolRunUseCase,
    AnnotateEventUseCase,
    RecordPolicyDecisionUseCase,
    UploadAttachmentUseCase,
    CloseSessionUseCase,
  ],
})
export class TrainingModule {}
