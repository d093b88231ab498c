import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { checkAnnotation, type AnnotationInput } from '../domain/annotation-rules';
import { withGuidance } from '../domain/draft-prompt';
import { TRAINING_LIMITS } from '../domain/limits';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { saveGuidance } from '../store/session.store';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed, claimSequences, tooLarge } from './refusals';

export interface Annotation extends AnnotationInput {
  /** The recorded event (of this session) being judged. */
  eventId: string;
}

/**
 * Approve, correct, explain or reject a recorded event; several annotations per event are fine, and a
 * correction is a new event, never an edit. Explanations, corrections and rejections also shape the
 * draft prompt the agent answers with from now on.
 */
@Injectable()
export class AnnotateEventUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(
    principal: Principal,
    sessionId: string,
    input: Annotation,
  ): Promise<RecordedEvent & { annotationId: string }> {
    for (const field of ['correctedAnswer', 'rationale'] as const) {
      const text = input[field];
      if (text !== undefined && text.length > TRAINING_LIMITS.annotationTextChars)
        throw tooLarge(
          field,
          `at most ${TRAINING_LIMITS.annotationTextChars} characters (got ${text.length})`,
        );
    }
    const annotationId = uuidv7();
    const [event] = await this.dataSource.transaction(async (manager) => {
      // One statement: lock the session, take the sequence, look the annotated event up.
      const { session, firstSequence, target } = await claimSequences(manager, principal, sessionId, 1, {
        target: input.eventId,
      });
      if (!target)
        throw new NotFoundException(`event ${input.eventId} is not in training session ${session.id}`);
      const annotation = allowed(checkAnnotation(input, target), 'eventId');
      const guidanceText = annotation.kind === 'correct' ? annotation.correctedAnswer : annotation.rationale;
      if (annotation.kind !== 'approve' && guidanceText)
        await saveGuidance(
          manager,
          session.id,
          withGuidance(session.guidance, {
            kind: annotation.kind,
            text: guidanceText,
            targetType: target.type,
          }),
        );
      return this.recorder.record(manager, principal, session, firstSequence, [
        {
          topic: 'training.annotations',
          targetEventId: input.eventId,
          payload: (sequence) => ({
            event: {
              case: 'added',
              value: {
                annotationId,
                targetEventId: input.eventId,
                targetType: target.type,
                kind: annotation.kind,
                correctedAnswer: annotation.correctedAnswer ?? '',
                rationale: annotation.rationale ?? '',
                sequence,
              },
            },
          }),
        },
      ]);
    });
    return { ...event!, annotationId };
  }
}
