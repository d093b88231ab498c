import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('IBAN detector', () => {
  it('takes exactly the country length, grouped or compact, and checks mod 97', () => {
    const text = 'Pay DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX or GB82WEST12345698765432.';
    expect(found(text, 'bank_account')).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
    expect(found('DE89 3704 0044 0532 0130 01', 'bank_account')).toEqual([]);
  });
});
