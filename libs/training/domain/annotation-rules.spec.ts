import { checkAnnotation } from './annotation-rules';
import { TRAINING_EVENT } from './timeline';

const agentTurn = { type: TRAINING_EVENT.turn, role: 'agent' };

describe('annotation rules', () => {
  it('needs the corrected answer for correct and the rationale for explain', () => {
    expect(checkAnnotation({ kind: 'correct', correctedAnswer: 'Better.' }, agentTurn).ok).toBe(true);
    expect(checkAnnotation({ kind: 'correct', correctedAnswer: '  ' }, agentTurn)).toMatchObject({
      ok: false,
      reason: 'correctedAnswer: required when kind is "correct"',
    });
    expect(checkAnnotation({ kind: 'explain', rationale: 'Because.' }, agentTurn).ok).toBe(true);
    expect(checkAnnotation({ kind: 'explain' }, agentTurn)).toMatchObject({ ok: false });
  });

  it('corrects only what the agent or a tool produced', () => {
    const input = { kind: 'correct' as const, correctedAnswer: 'x' };
    expect(checkAnnotation(input, { type: TRAINING_EVENT.toolRun }).ok).toBe(true);
    expect(checkAnnotation(input, { type: TRAINING_EVENT.turn, role: 'trainer' })).toMatchObject({
      ok: false,
      reason: 'eventId: only an agent turn or a tool run can be corrected, not a trainer turn',
    });
    expect(checkAnnotation(input, { type: TRAINING_EVENT.attachment })).toMatchObject({ ok: false });
  });

  it('approves and rejects anything recorded, without a corrected answer', () => {
    expect(checkAnnotation({ kind: 'approve' }, { type: TRAINING_EVENT.attachment }).ok).toBe(true);
    expect(
      checkAnnotation({ kind: 'reject', rationale: 'unsafe' }, { type: TRAINING_EVENT.toolRun }).ok,
    ).toBe(true);
    expect(checkAnnotation({ kind: 'approve', correctedAnswer: 'x' }, agentTurn)).toMatchObject({
      ok: false,
    });
  });
});
