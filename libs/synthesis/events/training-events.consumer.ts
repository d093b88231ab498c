import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@personae/contracts';
import { EventContext, OnEvent } from '@personae/messaging';
import { IngestTrainingEvent } from '../use-cases/ingest-training-event.use-case';

export const SYNTHESIS_GROUP = 'synthesis-pipeline';

/** The five training topics, each into the session's timeline. */
@Controller()
export class TrainingEventsConsumer {
  constructor(private readonly ingest: IngestTrainingEvent) {}

  @OnEvent('training.session', { group: SYNTHESIS_GROUP })
  onSession(@Payload() event: EventEnvelope<'training.session'>, @Ctx() context: EventContext): Promise<void> {
    return this.ingest.execute(event, context);
  }

  @OnEvent('training.conversation', { group: SYNTHESIS_GROUP })
  onConversation(@Payload() event: EventEnvelope<'training.conversation'>, @Ctx() context: EventContext): Promise<void> {
    return this.ingest.execute(event, context);
  }

  @OnEvent('training.tools', { group: SYNTHESIS_GROUP })
  onTools(@Payload() event: EventEnvelope<'training.tools'>, @Ctx() context: EventContext): Promise<void> {
    return this.ingest.execute(event, context);
  }

  @OnEvent('training.annotations', { group: SYNTHESIS_GROUP })
  onAnnotations(@Payload() event: EventEnvelope<'training.annotations'>, @Ctx() context: EventContext): Promise<void> {
    return this.ingest.execute(event, context);
  }

  @OnEvent('training.attachments', { group: SYNTHESIS_GROUP })
  onAttachments(@Payload() event: EventEnvelope<'training.attachments'>, @Ctx() context: EventContext): Promise<void> {
    return this.ingest.execute(event, context);
  }
}
