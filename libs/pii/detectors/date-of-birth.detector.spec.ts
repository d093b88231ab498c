import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('date of birth detector', () => {
  it('takes dates only as birth dates after a birth cue', () => {
    expect(found('DOB: 03/12/1985; meeting on 12/03/2024; born on March 4, 1990', 'date_of_birth')).toEqual([
      '03/12/1985',
      'March 4, 1990',
    ]);
  });
});
