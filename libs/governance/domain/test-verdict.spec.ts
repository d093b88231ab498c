import { testVerdict } from './test-verdict';

describe('test verdicts', () => {
  const offlineAnswer = {
    text: "I found nothing in this persona's knowledge about that, so I cannot answer it.",
    refused: true,
  };

  it('judges every expectation of a language model answer', () => {
    expect(testVerdict({ contains: ['ATP'] }, { text: 'They make ATP.', refused: false }, false)).toEqual({
      passed: true,
      verdict: 'passed',
      failures: [],
    });
    expect(testVerdict({ contains: ['ATP'] }, { text: 'No idea.', refused: false }, false).verdict).toBe(
      'failed',
    );
  });

  it('with the offline responder: judges refusals and forbidden text, calls composed-content checks inconclusive', () => {
    expect(testVerdict({ refuses: true }, offlineAnswer, true).verdict).toBe('passed');
    expect(testVerdict({ notContains: ['knowledge'] }, offlineAnswer, true)).toMatchObject({
      verdict: 'failed',
    });
    expect(testVerdict({ contains: ['ATP'], matches: 'energy' }, offlineAnswer, true)).toMatchObject({
      passed: false,
      verdict: 'inconclusive',
    });
    expect(testVerdict({ refuses: false }, offlineAnswer, true).verdict).toBe('inconclusive');
    // A conclusive failure wins over an inconclusive one.
    expect(testVerdict({ contains: ['ATP'], notContains: ['persona'] }, offlineAnswer, true).verdict).toBe(
      'failed',
    );
  });
});
