import { estimateMessagesTokens, estimateTokens, truncateToTokens } from './token-estimate';

describe('token estimate', () => {
  it('counts words by length, punctuation and CJK characters one each, whitespace not at all', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('   \n\t ')).toBe(0);
    expect(estimateTokens('the cat')).toBe(2);
    expect(estimateTokens('knowledge')).toBe(2);
    expect(estimateTokens('Hello, world!')).toBe(4);
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('internationalization')).toBe(4);
    // Letters outside the BMP count as one character each, not as two UTF-16 units.
    expect(estimateTokens('𝒜'.repeat(7))).toBe(2);
  });

  it('estimates ASCII text by character codes exactly as the documented pattern does', () => {
    // The rule, written out as a pattern independently of the implementation's fast path.
    const reference = (text: string): number =>
      [...text.matchAll(/([\p{L}\p{N}\p{M}_]+)|[^\s]/gu)].reduce(
        (sum, match) => sum + (match[1] ? Math.ceil(match[1].length / 6) : 1),
        0,
      );
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [
      ascii,
      'snake_case_identifier_42 = f(x) + y;\n\t// done',
      'a'.repeat(13) + ' ' + '9'.repeat(6) + '_',
      ...Array.from({ length: 200 }, () =>
        Array.from({ length: Math.floor(random() * 80) }, () => ascii[Math.floor(random() * 128)]).join(''),
      ),
    ];
    for (const text of samples) expect(estimateTokens(text)).toBe(reference(text));
  });

  it('adds chat framing per message and counts tool calls', () => {
    const plain = estimateMessagesTokens([{ role: 'user', content: 'hi' }]);
    expect(plain).toBe(2 + 4 + 1);
    const withCall = estimateMessagesTokens([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'search', arguments: '{"q":"x"}' }] },
    ]);
    expect(withCall).toBeGreaterThan(2 + 4 + 4);
  });

  it('truncates at a piece boundary to fit the budget, never over it', () => {
    const text = 'Mitochondria produce most of the ATP in a cell.';
    for (let budget = 0; budget <= estimateTokens(text) + 1; budget++) {
      const cut = truncateToTokens(text, budget);
      expect(estimateTokens(cut)).toBeLessThanOrEqual(budget);
      expect(text.startsWith(cut)).toBe(true);
    }
    expect(truncateToTokens(text, 1000)).toBe(text);
    expect(truncateToTokens(text, 2)).toBe('Mitochondria');
  });
});
