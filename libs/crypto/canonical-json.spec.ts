import { canonicalize } from './canonical-json';

// The RFC test vectors deliberately use literals that lose precision: that is what they test.
/* eslint-disable no-loss-of-precision */
describe('RFC 8785 canonical JSON', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    // Example from RFC 8785 §3.2.3: "\u20ac" (€) sorts after "\r" and before the emoji's surrogates.
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the key order from the text: parsing back would put the integer-like "1" first.
    const keys = [...canonicalize(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('serializes numbers in ECMAScript shortest form (RFC 8785 appendix B samples)', () => {
    expect(canonicalize([333333333.33333329, 1e30, 4.5, 2e-3, 0.000001, 1e-7, -0])).toBe(
      '[333333333.3333333,1e+30,4.5,0.002,0.000001,1e-7,0]',
    );
  });

  it('matches the RFC 8785 §3.2.2 example byte for byte', () => {
    const input = {
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('is independent of insertion order and omits undefined members', () => {
    expect(canonicalize({ b: 1, a: { d: undefined, c: [1, 'x'] } })).toBe(
      canonicalize({ a: { c: [1, 'x'] }, b: 1 }),
    );
  });

  it('refuses values JSON cannot carry, naming where', () => {
    expect(() => canonicalize({ a: [1, Number.NaN] })).toThrow('/a/1');
    expect(() => canonicalize({ f: () => 1 })).toThrow(/function is not JSON/);
  });

  it('escapes strings and keys exactly as JSON.stringify, on the fast path and off it', () => {
    const samples = [
      'plain',
      'quote"',
      'back\\slash',
      'tab\t',
      '\u0000\u001f',
      '\u007f',
      '\u2028',
      '\ud83d\ude00',
      '\ud800',
      'x\udfff',
    ];
    for (const text of samples) {
      expect(canonicalize(text)).toBe(JSON.stringify(text));
      expect(canonicalize({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    }
  });
});
