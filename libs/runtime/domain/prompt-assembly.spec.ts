import { validatePack } from '@personae/pack';
import { assemblePrompt, type MemoryMessage } from './prompt-assembly';

const pack = validatePack({
  apiVersion: 'personae.dev/v1',
  kind: 'PersonaPack',
  metadata: { name: 'helper', displayName: 'Helper' },
  spec: {
    prompt: {
      system: 'You are a helper.',
      tone: 'warm',
      safetyBoundaries: ['Never give medical advice.'],
      examples: [{ input: 'Hi', output: 'Hello!' }],
    },
    personality: { formality: 0.9, enthusiasm: 0.1 },
    style: { verbosity: 'concise' },
  },
});

const turn = (
  role: MemoryMessage['role'],
  content: string,
  extra: Partial<MemoryMessage> = {},
): MemoryMessage => ({
  role,
  content,
  personaDigest: 'sha256:aa',
  ...extra,
});

describe('prompt assembly', () => {
  it('puts the system prompt, rendered personality and style, boundaries and context first, then examples, history and input', () => {
    const { messages } = assemblePrompt({
      pack,
      digest: 'sha256:aa',
      context: 'The user is a teacher.',
      history: [turn('user', 'Earlier question'), turn('assistant', 'Earlier answer')],
      input: 'Now this',
      passages: [],
      contextTokens: 8192,
      reserveForAnswer: 256,
    });
    const system = messages[0]!.content;
    expect(system).toMatch(/^You are a helper\./);
    expect(system).toContain('Use a formal register.');
    expect(system).toContain('Keep an even, understated tone.');
    expect(system).toContain('Keep answers short');
    expect(system).toContain('Tone of voice: warm.');
    expect(system).toContain('- Never give medical advice.');
    expect(system).toContain('The user is a teacher.');
    expect(messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello!'],
      ['user', 'Earlier question'],
      ['assistant', 'Earlier answer'],
      ['user', 'Now this'],
    ]);
  });

  it('trims the oldest turns to fit the window, whole turns only', () => {
    const history = Array.from({ length: 40 }, (_, i) => [
      turn('user', `question ${i} ${'word '.repeat(40)}`),
      turn('assistant', `answer ${i} ${'word '.repeat(40)}`),
    ]).flat();
    const assembled = assemblePrompt({
      pack,
      digest: 'sha256:aa',
      history,
      input: 'last',
      passages: [],
      contextTokens: 1024,
      reserveForAnswer: 256,
    });
    expect(assembled.droppedTurns).toBeGreaterThan(0);
    expect(assembled.promptTokens).toBeLessThanOrEqual(1024 - 256);
    const kept = assembled.messages.slice(3, -1);
    expect(kept[0]!.role).toBe('user'); // never starts mid-turn
    expect(kept[kept.length - 1]!.content).toMatch(/^answer 39/); // the most recent survive
  });

  it("never replays another persona's tool calls and results after a swap", () => {
    const history = [
      turn('user', 'look it up', { personaDigest: 'sha256:old' }),
      turn('assistant', '', {
        personaDigest: 'sha256:old',
        toolCalls: [{ id: 'c1', name: 'lab__lookup', arguments: '{}' }],
      }),
      turn('tool', 'secret lab data', { personaDigest: 'sha256:old', toolCallId: 'c1' }),
      turn('assistant', 'It is ATP.', { personaDigest: 'sha256:old' }),
    ];
    const { messages } = assemblePrompt({
      pack,
      digest: 'sha256:new',
      history,
      input: 'next',
      passages: [],
      contextTokens: 8192,
      reserveForAnswer: 256,
    });
    const text = JSON.stringify(messages);
    expect(text).not.toContain('secret lab data');
    expect(text).not.toContain('lab__lookup');
    expect(messages.map((m) => m.content)).toEqual(expect.arrayContaining(['look it up', 'It is ATP.']));
  });
});
