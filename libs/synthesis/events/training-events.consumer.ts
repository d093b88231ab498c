import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@personae/contracts';
import { OnEvent } from '@personae/messaging';
import { IngestTrainingEvent } from '../use-cases/ingest-training-event.use-case';

export const SYNTHESIS_GROUP = 'synthesis-pipeline';

/** The five training topics, each into the session's timeline. */
@Controller()
export class TrainingEventsConsumer {
  constructor(private readonly ingest: IngestTrainingEvent) {}

  @OnEvent('training.session', { group: SYNTHESIS_GROUP })
  onSession(@Payload() event: EventEnvelope<'training.session'>): Promise<void> {
    return this.ingest.execute(event);
  }

  @OnEvent('training.conversation', { group: SYNTHESIS_GROUP })
  onConversation(@Payload() event: EventEnvelope<'training.conversation'>): Promise<void> {
    return this.ingest.execute(event);
  }

  @OnEvent('training.tools', { group: SYNTHESIS_GROUP })
  onTools(@Payload() event: EventEnvelope<'training.tools'>): Promise<void> {
    return this.ingest.execute(event);
  }

  @OnEvent('training.annotations', { group: SYNTHESIS_GROUP })
  onAnnotations(@Payload() event: EventEnvelope<'training.annotations'>): Promise<void> {
    return this.ingest.execute(event);
  }

  @OnEvent('training.attachments', { group: SYNTHESIS_GROUP })
  onAttachments(@Payload() event: EventEnvelope<'training.attachments'>): Promise<void> {
    return this.ingest.execute(event);
  }
}
