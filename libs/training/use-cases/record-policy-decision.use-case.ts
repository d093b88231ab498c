import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { PreparedDb } from '../store/prepared-db';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { openSessionOf, refuseAdding, sessionAndEventOf } from './refusals';

export const POLICY_EFFECTS = ['allow', 'deny', 'require_approval'] as const;

/** A governance decision (`@personae/policy` `decide()`'s answer) taken during the session. */
export interface PolicyDecision {
  action: string;
  tool?: string;
  effect: (typeof POLICY_EFFECTS)[number];
  ruleIds: string[];
  reasons: string[];
  /** The recorded event it concerns (a tool run, an agent turn). */
  eventId?: string;
}

/** Records a policy decision into the session's timeline (topic training.session). */
@Injectable()
export class RecordPolicyDecisionUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly db: PreparedDb,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(
    principal: Principal,
    sessionId: string,
    decision: PolicyDecision,
  ): Promise<RecordedEvent & { decisionId: string }> {
    const db = this.db;
    // Events are immutable: once found in the session, the concerned event stays there.
    const session = decision.eventId
      ? (await sessionAndEventOf(db, principal, sessionId, decision.eventId)).session
      : await openSessionOf(db, principal, sessionId);
    const decisionId = uuidv7();
    const recorded = await this.recorder.recordAtOnce(principal, session, [
      {
        topic: 'training.session',
        targetEventId: decision.eventId,
        payload: (sequence) => ({
          event: {
            case: 'policyDecision',
            value: {
              decisionId,
              action: decision.action,
              tool: decision.tool ?? '',
              effect: decision.effect,
              ruleIds: decision.ruleIds,
              reasons: decision.reasons,
              targetEventId: decision.eventId ?? '',
              sequence,
            },
          },
        }),
      },
    ]);
    if (!recorded) return refuseAdding(db, principal, sessionId);
    return { ...recorded[0]!, decisionId };
  }
}
