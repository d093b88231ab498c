import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('national id detector', () => {
  it('finds SSNs with separators, compact ones only after "SSN", and UK NI numbers', () => {
    expect(found('SSN 123-45-6789, 123 45 6789; ssn: 123456789; JG 10 37 95 B', 'national_id')).toEqual([
      '123-45-6789',
      '123 45 6789',
      '123456789',
      'JG 10 37 95 B',
    ]);
    expect(found('ids 000-12-3456 666-12-3456 912-70-1234 and order 123456789', 'national_id')).toEqual([]);
  });
});
