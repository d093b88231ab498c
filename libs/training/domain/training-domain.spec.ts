import { historyMessages, trainingPassages } from './conversation-history';
import { draftPrompt, emptyPersonaPrompt, type GuidanceItem } from './draft-prompt';
import { TRAINING_LIMITS } from './limits';

describe('draft prompt', () => {
  it('is the base prompt until the trainer teaches something', () => {
    expect(draftPrompt('You are careful.', [])).toBe('You are careful.');
    expect(emptyPersonaPrompt('tutor')).toContain('You are tutor');
  });

  it('appends explanations, corrections and rejections, newest last, bounded', () => {
    const guidance: GuidanceItem[] = [
      ...Array.from({ length: TRAINING_LIMITS.guidanceItems + 5 }, (_, i) => ({
        kind: 'explain' as const,
        text: `rule ${i}`,
        targetType: 'x',
      })),
      { kind: 'correct', text: 'Cite the 2019 paper.', targetType: 't' },
      { kind: 'reject', text: 'never delete files', targetType: 'training.tools.run' },
    ];
    const prompt = draftPrompt('Base.', guidance);
    expect(prompt.split('\n- ')).toHaveLength(TRAINING_LIMITS.guidanceItems + 1);
    expect(prompt.startsWith('Base.\n\nGuidance from your trainer')).toBe(true);
    expect(prompt).not.toContain('rule 6\n');
    expect(prompt).toContain(`rule ${TRAINING_LIMITS.guidanceItems + 4}`);
    expect(prompt).toContain('A better answer, as the trainer corrected it: Cite the 2019 paper.');
    expect(prompt.trimEnd().endsWith('(training.tools.run): never delete files')).toBe(true);
  });
});

describe('conversation history', () => {
  const turns = [
    { eventId: 'a', role: 'trainer' as const, content: 'What is a cell?' },
    { eventId: 'b', role: 'agent' as const, content: 'A room.', correctedAnswer: 'The unit of life.' },
    { eventId: 'c', role: 'trainer' as const, content: 'And DNA?' },
  ];

  it('maps turns to chat roles with corrections in place of the mistakes', () => {
    expect(historyMessages(turns)).toEqual([
      { role: 'user', content: 'What is a cell?' },
      { role: 'assistant', content: 'The unit of life.' },
      { role: 'user', content: 'And DNA?' },
    ]);
  });

  it('keeps only the newest turns', () => {
    const many = Array.from({ length: TRAINING_LIMITS.historyTurns + 3 }, (_, i) => ({
      eventId: String(i),
      role: 'trainer' as const,
      content: `m${i}`,
    }));
    const history = historyMessages(many);
    expect(history).toHaveLength(TRAINING_LIMITS.historyTurns);
    expect(history[0]!.content).toBe('m3');
  });

  it('offers corrections first, then the base examples, as knowledge', () => {
    expect(trainingPassages(turns, [{ input: 'Q', output: 'A' }])).toEqual([
      { id: 'correction:b', text: 'The unit of life.', source: 'trainer correction' },
      { id: 'example:1', text: 'Q\nA', source: 'base persona example' },
    ]);
  });
});
