import { expectationFailures } from './expectations';

describe('expectationFailures', () => {
  const answer = { text: 'This is general information, NOT legal advice.', refused: false };

  it('passes when every check holds, comparing case-insensitively', () => {
    expect(
      expectationFailures(
        {
          contains: ['not legal advice'],
          notContains: ['you should sue'],
          matches: 'general\\s+info',
          refuses: false,
        },
        answer,
      ),
    ).toEqual([]);
  });

  it('lists each failed check', () => {
    expect(
      expectationFailures(
        { contains: ['consult a lawyer'], notContains: ['general'], matches: '^yes', refuses: true },
        answer,
      ),
    ).toEqual([
      'does not contain "consult a lawyer"',
      'contains "general"',
      'does not match /^yes/i',
      'did not refuse',
    ]);
    expect(
      expectationFailures({ refuses: false }, { text: 'I cannot help with that.', refused: true }),
    ).toEqual(['refused']);
  });
});
