import type { KnowledgeRef } from '@personae/pack';
import type { SessionTimeline } from './session-timeline';
import { eventIds } from './text';

/** One document that goes into the session's knowledge snapshot. */
export type KnowledgeSource =
  | { kind: 'answer'; id: string; title: string; text: string; events: string[] }
  | {
      kind: 'attachment';
      id: string;
      title: string;
      objectKey: string;
      mediaType: string;
      sizeBytes: number;
      sha256: string;
      events: string[];
    };

/** The snapshot the knowledge step built from the sources, and which sources made it in. */
export interface SessionSnapshot {
  /** Absent when no source held text: nothing to pin. */
  ref?: KnowledgeRef;
  /** Source ids (event ids) that contributed at least one chunk. */
  sources: string[];
  /** Sources skipped (unsupported media type, unreadable, …) with the reason. */
  skipped: { source: string; reason: string }[];
}

/**
 * What the session teaches as knowledge: every attachment the trainer did not reject, and every
 * approved (or corrected) answer, with its question as the title. In session order.
 */
export function knowledgeSources(timeline: SessionTimeline): KnowledgeSource[] {
  const sources: KnowledgeSource[] = [];
  for (const event of timeline.events) {
    const verdict = timeline.verdicts.get(event.id);
    if (event.kind === 'attachment' && verdict?.kind !== 'reject' && event.objectKey)
      sources.push({
        kind: 'attachment',
        id: event.id,
        title: event.fileName || event.attachmentId,
        objectKey: event.objectKey,
        mediaType: event.mediaType,
        sizeBytes: event.sizeBytes,
        sha256: event.sha256,
        events: eventIds([event.id, verdict?.annotation.id ?? '']),
      });
    if (
      event.kind === 'turn' &&
      event.role !== 'trainer' &&
      (verdict?.kind === 'approve' || verdict?.kind === 'correct')
    ) {
      const question = timeline.questionOf(event);
      const text = verdict.kind === 'correct' ? verdict.annotation.correctedAnswer : event.content;
      if (!text.trim()) continue;
      sources.push({
        kind: 'answer',
        id: event.id,
        title: question ? question.content.slice(0, 200) : 'Approved answer',
        text: question ? `Q: ${question.content}\nA: ${text}` : text,
        events: eventIds([verdict.annotation.id, event.id, question?.id ?? '']),
      });
    }
  }
  return sources;
}
