import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { checkAnnotation, type AnnotationInput } from '../domain/annotation-rules';
import { TRAINING_LIMITS } from '../domain/limits';
import { RecentEvents } from '../events/recent-events';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { PreparedDb } from '../store/prepared-db';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed, refuseAdding, sessionAndEventOf, tooLarge } from './refusals';

export interface Annotation extends AnnotationInput {
  /** The recorded event (of this session) being judged. */
  eventId: string;
}

/**
 * Approve, correct, explain or reject a recorded event; several annotations per event are fine, and a
 * correction is a new event, never an edit. Explanations, corrections and rejections also become
 * guidance in the draft prompt the agent answers with from now on (same statement as the event).
 */
@Injectable()
export class AnnotateEventUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly db: PreparedDb,
    private readonly recorder: TrainingRecorder,
    private readonly recent: RecentEvents,
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
    const db = this.db;
    // Events are immutable: the annotated event, once found in the session, stays what it is. One
    // recorded here lately is known without a read; the record below still checks the session.
    const { session, event: target } =
      this.recent.find(principal.tenantId, sessionId, input.eventId) ??
      (await sessionAndEventOf(db, principal, sessionId, input.eventId));
    const annotation = allowed(checkAnnotation(input, target), 'eventId');
    const guidanceText = annotation.kind === 'correct' ? annotation.correctedAnswer : annotation.rationale;
    const annotationId = uuidv7();
    const recorded = await this.recorder.recordAtOnce(
      principal,
      session,
      [
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
      ],
      {
        ...(annotation.kind !== 'approve' && guidanceText
          ? { guidance: { kind: annotation.kind, text: guidanceText, targetType: target.type } }
          : {}),
        // The agent remembers the correction in place of what it said.
        ...(annotation.kind === 'correct' && annotation.correctedAnswer
          ? { correction: { eventId: input.eventId, correctedAnswer: annotation.correctedAnswer } }
          : {}),
      },
    );
    if (!recorded) return refuseAdding(this.dataSource.manager, principal, sessionId);
    return { ...recorded[0]!, annotationId };
  }
}
