import type { EventEnvelope } from '@personae/contracts';
import type { SessionEvent } from '../domain/session-event';

export const TRAINING_TOPICS = [
  'training.session',
  'training.conversation',
  'training.tools',
  'training.annotations',
  'training.attachments',
] as const;
export type TrainingTopic = (typeof TRAINING_TOPICS)[number];

/** Why an event cannot be part of a session: it goes to the dead-letter topic with this reason. */
export class PoisonEventError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PoisonEventError';
  }
}

/** The session an event belongs to: the envelope's session id, else its key (the aggregate id). */
export function sessionIdOf(event: EventEnvelope): string {
  const id = event.sessionId || event.key;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
    throw new PoisonEventError(
      `${event.type} ${event.id} names no session (session id or key "${id.slice(0, 80)}" is not a UUID)`,
    );
  return id;
}

/** A training envelope as the domain's plain SessionEvent. */
export function toSessionEvent(event: EventEnvelope<TrainingTopic>): SessionEvent {
  const payload = (event.payload as { event: { case?: string; value?: { sequence?: number } } }).event;
  const base = { id: event.id, at: event.occurredAt, sequence: payload.value?.sequence ?? 0 };
  switch (payload.case) {
    case 'started': {
      const v = (event as EventEnvelope<'training.session'>).payload.event.value as {
        trainerId: string;
        basePersonaRef: string;
        personaName: string;
      };
      return {
        ...base,
        kind: 'started',
        trainerId: v.trainerId,
        basePersonaRef: v.basePersonaRef,
        personaName: v.personaName,
      };
    }
    case 'closed': {
      const v = payload.value as { trainerId: string; eventCount: number; reason: string };
      return { ...base, kind: 'closed', trainerId: v.trainerId, eventCount: v.eventCount, reason: v.reason };
    }
    case 'policyDecision': {
      const v = payload.value as {
        decisionId: string;
        action: string;
        tool: string;
        effect: string;
        ruleIds: string[];
        reasons: string[];
        targetEventId: string;
      };
      return {
        ...base,
        kind: 'decision',
        decisionId: v.decisionId,
        action: v.action,
        tool: v.tool,
        effect: v.effect,
        ruleIds: [...v.ruleIds],
        reasons: [...v.reasons],
        target: v.targetEventId,
      };
    }
    case 'turn': {
      const v = payload.value as Omit<Extract<SessionEvent, { kind: 'turn' }>, 'id' | 'at' | 'kind'>;
      return {
        ...base,
        kind: 'turn',
        turnId: v.turnId,
        role: v.role,
        content: v.content,
        model: v.model,
        tokensIn: v.tokensIn,
        tokensOut: v.tokensOut,
        cost: Number.isFinite(v.cost) ? v.cost : 0,
        latencyMs: v.latencyMs,
        replyTo: v.replyTo,
      };
    }
    case 'run': {
      const v = payload.value as Omit<Extract<SessionEvent, { kind: 'tool' }>, 'id' | 'at' | 'kind'>;
      return {
        ...base,
        kind: 'tool',
        runId: v.runId,
        tool: v.tool,
        inputJson: v.inputJson,
        outputJson: v.outputJson,
        status: v.status,
        durationMs: v.durationMs,
        invokedBy: v.invokedBy,
        error: v.error,
      };
    }
    case 'added': {
      const v = payload.value as {
        annotationId: string;
        targetEventId: string;
        kind: string;
        correctedAnswer: string;
        rationale: string;
      };
      return {
        ...base,
        kind: 'annotation',
        annotationId: v.annotationId,
        target: v.targetEventId,
        annotationKind: v.kind,
        correctedAnswer: v.correctedAnswer,
        rationale: v.rationale,
      };
    }
    case 'uploaded': {
      const v = payload.value as {
        attachmentId: string;
        fileName: string;
        mediaType: string;
        sizeBytes: bigint;
        sha256: string;
        objectKey: string;
      };
      return {
        ...base,
        kind: 'attachment',
        attachmentId: v.attachmentId,
        fileName: v.fileName,
        mediaType: v.mediaType,
        sizeBytes: Number(v.sizeBytes),
        sha256: v.sha256,
        objectKey: v.objectKey,
      };
    }
    default:
      throw new PoisonEventError(
        `${event.type} ${event.id} carries no event synthesis knows (${String(payload.case)})`,
      );
  }
}
