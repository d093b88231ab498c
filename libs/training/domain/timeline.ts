import type { Topic } from '@personae/contracts';

/** The event types a session's timeline holds (`<topic>.<payload case>`, as on the bus). */
export const TRAINING_EVENT = {
  started: 'training.session.started',
  closed: 'training.session.closed',
  policyDecision: 'training.session.policyDecision',
  turn: 'training.conversation.turn',
  toolRun: 'training.tools.run',
  annotation: 'training.annotations.added',
  attachment: 'training.attachments.uploaded',
} as const;

export type TrainingEventType = (typeof TRAINING_EVENT)[keyof typeof TRAINING_EVENT];

export type TrainingTopic = Extract<
  Topic,
  | 'training.session'
  | 'training.conversation'
  | 'training.tools'
  | 'training.annotations'
  | 'training.attachments'
>;

/**
 * One recorded event as the timeline shows it: its place in the session, then the envelope exactly as
 * published on the bus (proto3 JSON: tenant, actor, persona ref, session id, correlation id, payload).
 */
export interface TimelineEvent {
  sequence: number;
  id: string;
  type: string;
  topic: TrainingTopic;
  occurredAt: string;
  tenantId: string;
  actor: { kind: string; id: string };
  personaRef?: string;
  sessionId?: string;
  correlationId: string;
  causationId?: string;
  key: string;
  payload: Record<string, unknown>;
}
