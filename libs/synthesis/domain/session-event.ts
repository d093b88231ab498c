/**
 * A training event as synthesis sees it: plain data decoded from the `training.*` topics, so the
 * domain never touches protobuf classes. `id` is the envelope id (what provenance cites), `at` its
 * `occurredAt`.
 */
interface EventBase {
  id: string;
  at: string;
  /** Position in the session (1 = started), 0 when the producer did not number it. */
  sequence: number;
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

/** A governance decision about something the session did (a tool call, an answer). */
export interface PolicyDecisionEvent extends EventBase {
  kind: 'decision';
  decisionId: string;
  action: string;
  tool: string;
  effect: string;
  ruleIds: string[];
  reasons: string[];
  target: string;
}

export type SessionEvent =
  | PolicyDecisionEvent
  | SessionStartedEvent
  | SessionClosedEvent
  | TurnEvent
  | ToolRunEvent
  | AnnotationEvent
  | AttachmentEvent;

/**
 * The session's events in one stable order whatever order they arrived in (the five topics are
 * consumed independently): by the producer's sequence when every event has one, else by occurrence
 * time; ties by id (UUIDv7, itself time-ordered). Duplicates by id are dropped.
 */
export function orderTimeline(events: readonly SessionEvent[]): SessionEvent[] {
  const unique = new Map<string, SessionEvent>();
  for (const event of events) if (!unique.has(event.id)) unique.set(event.id, event);
  const list = [...unique.values()];
  const bySequence = list.every((e) => e.sequence > 0);
  return list.sort((a, b) => {
    if (bySequence && a.sequence !== b.sequence) return a.sequence - b.sequence;
    if (!bySequence && a.at !== b.at) return a.at < b.at ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
