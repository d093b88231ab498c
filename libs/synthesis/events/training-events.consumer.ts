import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@personae/contracts';
import { OnEvents } from '@personae/messaging';
import { IngestTrainingEvent } from '../use-cases/ingest-training-event.use-case';

export const SYNTHESIS_GROUP = 'synthesis-pipeline';
/** Events per call: one statement stores a batch, so the pipeline keeps up with recording. */
const batch = { group: SYNTHESIS_GROUP, maxBatch: 500 };

/** The five training topics, each into the sessions' timelines, a batch of one partition at a time. */
@Controller()
export class TrainingEventsConsumer {
  constructor(private readonly ingest: IngestTrainingEvent) {}

  @OnEvents('training.session', batch)
  onSession(@Payload() events: EventEnvelope<'training.session'>[]): Promise<void> {
    return this.ingest.executeMany(events);
  }

  @OnEvents('training.conversation', batch)
  onConversation(@Payload() events: EventEnvelope<'training.conversation'>[]): Promise<void> {
    return this.ingest.executeMany(events);
  }

  @OnEvents('training.tools', batch)
  onTools(@Payload() events: EventEnvelope<'training.tools'>[]): Promise<void> {
    return this.ingest.executeMany(events);
  }

  @OnEvents('training.annotations', batch)
  onAnnotations(@Payload() events: EventEnvelope<'training.annotations'>[]): Promise<void> {
    return this.ingest.executeMany(events);
  }

  @OnEvents('training.attachments', batch)
  onAttachments(@Payload() events: EventEnvelope<'training.attachments'>[]): Promise<void> {
    return this.ingest.executeMany(events);
  }
}
