import { checkRevealed, sealPii } from './pii-fields';

describe('sealPii', () => {
  it('replaces PII fields by salted commitments a revealed value is checked against', () => {
    const payload = { turn: { role: 'trainer', content: 'My email is jane@example.com' } };
    const { payload: sealed, fields } = sealPii('training.conversation.turn', payload);
    const body = sealed.turn as Record<string, string>;
    expect(body.role).toBe('trainer');
    expect(body.content).toMatch(/^pii:sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(sealed)).not.toContain('jane');
    expect(payload.turn.content).toContain('jane'); // input untouched
    expect(checkRevealed(sealed, fields)).toEqual([
      { path: 'turn.content', value: 'My email is jane@example.com', matches: true },
    ]);
    const tampered = {
      'turn.content': { ...fields['turn.content']!, value: 'My email is john@example.com' },
    };
    expect(checkRevealed(sealed, tampered)[0]!.matches).toBe(false);
  });

  it('salts: the same text gives different commitments, so a commitment cannot be guessed back', () => {
    const a = sealPii('training.annotations.added', { added: { rationale: 'yes' } }).payload;
    const b = sealPii('training.annotations.added', { added: { rationale: 'yes' } }).payload;
    expect(a).not.toEqual(b);
  });

  it('leaves events without PII fields as they are', () => {
    const payload = { completed: { executionId: 'x', outcome: 'completed' } };
    expect(sealPii('runtime.executions.completed', payload)).toEqual({ payload, fields: {} });
  });
});
