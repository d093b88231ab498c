import {
  orderTimeline,
  type AnnotationEvent,
  type AttachmentEvent,
  type PolicyDecisionEvent,
  type SessionClosedEvent,
  type SessionEvent,
  type SessionStartedEvent,
  type ToolRunEvent,
  type TurnEvent,
} from './session-event';

/** What a set of annotations contradicting each other is about, for the report. */
export interface Contradiction {
  /** The event the annotations judge. */
  target: string;
  /** The annotations, oldest first; the last one is the one applied. */
  annotations: string[];
  description: string;
}

/** Something the reviewer should know that is not a change: ignored input, caps hit, limits exceeded. */
export interface Finding {
  code: string;
  message: string;
  events: string[];
}

export const ANNOTATION_KINDS = ['approve', 'correct', 'explain', 'reject'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** The judgement that stands for one target: the latest approve/correct/reject, with what it overrode. */
export interface Verdict {
  kind: Exclude<AnnotationKind, 'explain'>;
  annotation: AnnotationEvent;
  overridden: AnnotationEvent[];
}

/** The session's events ordered and indexed, with each target's verdict resolved once. */
export interface SessionTimeline {
  events: SessionEvent[];
  started?: SessionStartedEvent;
  closed?: SessionClosedEvent;
  turns: TurnEvent[];
  tools: ToolRunEvent[];
  attachments: AttachmentEvent[];
  annotations: AnnotationEvent[];
  decisions: PolicyDecisionEvent[];
  verdicts: Map<string, Verdict>;
  /** Explanations per target event id, in order. */
  explanations: Map<string, AnnotationEvent[]>;
  contradictions: Contradiction[];
  findings: Finding[];
  /** The trainer turn an agent turn answers (reply_to, else the latest trainer turn before it). */
  questionOf(turn: TurnEvent): TurnEvent | undefined;
  /** The latest trainer turn before an event: what a tool run was for. */
  trainerTurnBefore(event: SessionEvent): TurnEvent | undefined;
  /** The event an annotation targets: by event id, else by turn, run or attachment id. */
  resolve(target: string): SessionEvent | undefined;
}

const isKind = (value: string): value is AnnotationKind =>
  (ANNOTATION_KINDS as readonly string[]).includes(value);

export function buildTimeline(input: readonly SessionEvent[]): SessionTimeline {
  const events = orderTimeline(input);
  const position = new Map(events.map((event, index) => [event.id, index]));
  const turns = events.filter((e): e is TurnEvent => e.kind === 'turn');
  const tools = events.filter((e): e is ToolRunEvent => e.kind === 'tool');
  const attachments = events.filter((e): e is AttachmentEvent => e.kind === 'attachment');
  const annotations = events.filter((e): e is AnnotationEvent => e.kind === 'annotation');
  const findings: Finding[] = [];

  // Targets are event ids; a turn id, run id or attachment id is accepted too (same session).
  const byId = new Map<string, SessionEvent>();
  for (const event of events) byId.set(event.id, event);
  for (const event of events) {
    const alias =
      event.kind === 'turn'
        ? event.turnId
        : event.kind === 'tool'
          ? event.runId
          : event.kind === 'attachment'
            ? event.attachmentId
            : '';
    if (alias && !byId.has(alias)) byId.set(alias, event);
  }

  const judged = new Map<string, AnnotationEvent[]>();
  const explanations = new Map<string, AnnotationEvent[]>();
  for (const annotation of annotations) {
    const target = byId.get(annotation.target);
    if (!isKind(annotation.annotationKind)) {
      findings.push(
        finding(
          'unknown-annotation',
          `annotation kind "${annotation.annotationKind}" is not one synthesis knows; ignored`,
          annotation,
        ),
      );
      continue;
    }
    if (!target || target.kind === 'annotation' || target.kind === 'decision') {
      findings.push(
        finding(
          'dangling-annotation',
          `annotation targets ${annotation.target || 'nothing'}, which is no turn, tool run or attachment of this session; ignored`,
          annotation,
        ),
      );
      continue;
    }
    if (annotation.annotationKind === 'correct' && !annotation.correctedAnswer.trim()) {
      findings.push(
        finding('empty-correction', 'correction without a corrected answer; ignored', annotation),
      );
      continue;
    }
    if (annotation.annotationKind === 'explain' && !annotation.rationale.trim()) {
      findings.push(finding('empty-explanation', 'explanation without a rationale; ignored', annotation));
      continue;
    }
    const list = annotation.annotationKind === 'explain' ? explanations : judged;
    const entries = list.get(target.id) ?? [];
    entries.push(annotation);
    list.set(target.id, entries);
  }

  const verdicts = new Map<string, Verdict>();
  const contradictions: Contradiction[] = [];
  for (const [target, list] of judged) {
    const last = list[list.length - 1]!;
    const overridden = list.slice(0, -1);
    verdicts.set(target, { kind: last.annotationKind as Verdict['kind'], annotation: last, overridden });
    const disagreeing = overridden.filter((a) => !sameJudgement(a, last));
    if (disagreeing.length > 0)
      contradictions.push({
        target,
        annotations: list.map((a) => a.id),
        description: `${list.map(describeJudgement).join(', then ')} on the same event; the latest (${describeJudgement(last)}) is applied`,
      });
  }

  const trainerTurns = turns.filter((t) => t.role === 'trainer');
  const trainerTurnBefore = (event: SessionEvent): TurnEvent | undefined => {
    const at = position.get(event.id) ?? -1;
    let found: TurnEvent | undefined;
    for (const turn of trainerTurns) {
      if ((position.get(turn.id) ?? 0) < at) found = turn;
      else break;
    }
    return found;
  };
  const questionOf = (turn: TurnEvent): TurnEvent | undefined => {
    const replied = turn.replyTo ? byId.get(turn.replyTo) : undefined;
    if (replied?.kind === 'turn' && replied.role === 'trainer') return replied;
    return trainerTurnBefore(turn);
  };

  return {
    events,
    started: events.find((e): e is SessionStartedEvent => e.kind === 'started'),
    closed: events.find((e): e is SessionClosedEvent => e.kind === 'closed'),
    turns,
    tools,
    attachments,
    annotations,
    decisions: events.filter((e): e is PolicyDecisionEvent => e.kind === 'decision'),
    verdicts,
    explanations,
    contradictions,
    findings,
    questionOf,
    trainerTurnBefore,
    resolve: (target) => byId.get(target),
  };
}

export function finding(code: string, message: string, ...events: { id: string }[]): Finding {
  return { code, message, events: events.map((e) => e.id) };
}

function sameJudgement(a: AnnotationEvent, b: AnnotationEvent): boolean {
  if (a.annotationKind !== b.annotationKind) return false;
  return a.annotationKind !== 'correct' || a.correctedAnswer.trim() === b.correctedAnswer.trim();
}

function describeJudgement(annotation: AnnotationEvent): string {
  return annotation.annotationKind === 'correct'
    ? 'correct ("' + annotation.correctedAnswer.trim().slice(0, 60) + '")'
    : annotation.annotationKind;
}
