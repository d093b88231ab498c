import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('email detector', () => {
  it('finds addresses with tags, subdomains and non-ASCII local parts', () => {
    expect(found('mail a.b+x@mail.example.co.uk, JÜRGEN@beispiel.de.', 'email')).toEqual([
      'a.b+x@mail.example.co.uk',
      'JÜRGEN@beispiel.de',
    ]);
  });
  it('ignores scoped packages, decorators, asset names and mentions', () => {
    expect(found('npm i @personae/pii; @Injectable(); icon@2x.png; ping @channel', 'email')).toEqual([]);
  });
});
