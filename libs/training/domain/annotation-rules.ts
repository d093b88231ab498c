import { TRAINING_EVENT } from './timeline';
import { allow, refuse, type Outcome } from './session-state';

export const ANNOTATION_KINDS = ['approve', 'correct', 'explain', 'reject'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export interface AnnotationInput {
  kind: AnnotationKind;
  correctedAnswer?: string;
  rationale?: string;
}

/** What may be corrected: something the agent or a tool produced. */
const CORRECTABLE: ReadonlySet<string> = new Set([TRAINING_EVENT.turn, TRAINING_EVENT.toolRun]);

/**
 * The fields each kind needs: correct carries the corrected answer, explain its rationale; approve
 * carries no corrected answer; reject may say why. `targetType`/`targetRole` describe the annotated event.
 */
export function checkAnnotation(
  input: AnnotationInput,
  target: { type: string; role?: string },
): Outcome<AnnotationInput> {
  const has = (text: string | undefined): boolean => text !== undefined && text.trim() !== '';
  switch (input.kind) {
    case 'correct':
      if (!has(input.correctedAnswer))
        return refuse('input', 'correctedAnswer: required when kind is "correct"');
      if (!CORRECTABLE.has(target.type) || target.role === 'trainer')
        return refuse(
          'input',
          `eventId: only an agent turn or a tool run can be corrected, not ${describe(target)}`,
        );
      break;
    case 'explain':
      if (!has(input.rationale)) return refuse('input', 'rationale: required when kind is "explain"');
      break;
    case 'approve':
    case 'reject':
      if (has(input.correctedAnswer))
        return refuse(
          'input',
          `correctedAnswer: only a "correct" annotation carries one, not "${input.kind}"`,
        );
      break;
  }
  if (target.type === TRAINING_EVENT.closed)
    return refuse('input', 'eventId: the closing event cannot be annotated');
  return allow(input);
}

function describe(target: { type: string; role?: string }): string {
  return target.role ? `a ${target.role} turn` : target.type;
}
