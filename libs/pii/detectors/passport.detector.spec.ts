import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('passport detector', () => {
  it('finds passport numbers only next to the word passport', () => {
    expect(found('Passport no. X12345678; ref X12345678', 'passport')).toEqual(['X12345678']);
  });
});
