import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('credit card detector', () => {
  it('finds Luhn-valid numbers of known networks, grouped or not', () => {
    const text = 'Cards 4111 1111 1111 1111, 3782-822463-10005 and 5105105105105100.';
    expect(detectPii(text, { types: ['credit_card'] }).map((f) => f.subtype)).toEqual([
      'visa',
      'amex',
      'mastercard',
    ]);
  });
  it('ignores numbers failing Luhn and digits inside longer numbers', () => {
    expect(found('ref 4111 1111 1111 1112, id 14111111111111111, 4111111111111111-2', 'credit_card')).toEqual(
      [],
    );
  });
});
