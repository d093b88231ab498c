import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('person name detector', () => {
  it('finds names after titles, introductions and known first names, not greetings to roles', () => {
    expect(found('Dear Mr. Thompson, my name is Maria Garcia. I met Wei Zhang.', 'person_name')).toEqual([
      'Thompson',
      'Maria Garcia',
      'Wei Zhang',
    ]);
    expect(found('Dear Customer, Hi Team, New York office, Acme Corp.', 'person_name')).toEqual([]);
  });
  it('does not run a name across a blank line or after a bare role word', () => {
    expect(found('keywords name\n\nSee our website', 'person_name')).toEqual([]);
    expect(found('Client Libraries Explained; assigned to Kosovo region', 'person_name')).toEqual([]);
    expect(found('Best regards,\nJohn Smith', 'person_name')).toEqual(['John Smith']);
  });
});
