import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('postal address detector', () => {
  it('finds street addresses and postcodes in context', () => {
    const text = '221B Baker Street, London NW1 6XE; Hauptstraße 12, 10115 Berlin; Austin, TX 78701';
    expect(found(text, 'postal_address')).toEqual([
      '221B Baker Street',
      'NW1 6XE',
      'Hauptstraße 12',
      '10115',
      '78701',
    ]);
    expect(found('We shipped 94105 units; step 3 of 5', 'postal_address')).toEqual([]);
  });
  it('does not take a copyright year and a surname for a street', () => {
    expect(found('Copyright (c) 2013 Gary Court', 'postal_address')).toEqual([]);
  });
});
