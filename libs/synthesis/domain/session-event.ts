/**
 * A training event as synthesis sees it: plain data decoded from the `training.*` topics, so the
 * domain never touches protobuf classes. `id` is the envelope id (what provenance cites), `at` its
 * `occurredAt`.
 */
interface EventBase {
  id: string;
  at: string;
}

export interface SessionStartedEvent extends EventBase {
  kind: 'started';
  trainerId: string;
  basePersonaRef: string;
  personaName: string;
}

export interface SessionClosedEvent extends EventBase {
  kind: 'closed';
  trainerId: string;
  eventCount: number;
  reason: string;
}

export interface TurnEvent extends EventBase {
  kind: 'turn';
  turnId: string;
  role: string;
  content: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  latencyMs: number;
  replyTo: string;
}

export interface ToolRunEvent extends EventBase {
  kind: 'tool';
  runId: string;
  tool: string;
  inputJson: string;
  outputJson: string;
  status: string;
  durationMs: number;
  invokedBy: string;
  error: string;
}

export interface AnnotationEvent extends EventBase {
  kind: 'annotation';
  annotationId: string;
  target: string;
  annotationKind: string;
  correctedAnswer: string;
  rationale: string;
}

export interface AttachmentEvent extends EventBase {
  kind: 'attachment';
  attachmentId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  objectKey: string;
}

export type SessionEvent =
  | SessionStartedEvent
  | SessionClosedEvent
  | TurnEvent
  | ToolRunEvent
  | AnnotationEvent
  | AttachmentEvent;

/**
 * The session's events in one stable order whatever order they arrived in (topics are consumed
 * independently): by occurrence time, then by id (UUIDv7, itself time-ordered). Duplicates by id
 * are dropped.
 */
export function orderTimeline(events: readonly SessionEvent[]): SessionEvent[] {
  const unique = new Map<string, SessionEvent>();
  for (const event of events) if (!unique.has(event.id)) unique.set(event.id, event);
  return [...unique.values()].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}
