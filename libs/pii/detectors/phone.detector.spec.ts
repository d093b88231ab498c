import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('phone detector', () => {
  it('finds international, NANP and national formats', () => {
    const text =
      'Call +1 (415) 555-2671, 212.555.0147, +44 20 7946 0958, 020 7946 0958, 01 23 45 67 89, 030/1234567 or +4915112345678.';
    expect(found(text, 'phone')).toEqual([
      '+1 (415) 555-2671',
      '212.555.0147',
      '+44 20 7946 0958',
      '020 7946 0958',
      '01 23 45 67 89',
      '030/1234567',
      '+4915112345678',
    ]);
  });
  it('needs a cue for bare digit runs', () => {
    expect(found('order 4155550132 shipped', 'phone')).toEqual([]);
    expect(found('tel: 4155550132', 'phone')).toEqual(['4155550132']);
  });
  it('ignores order numbers, dates, timestamps, versions and product codes', () => {
    const text =
      'ORD-2024-000123 #100234 2024-01-15 10:30:00 v10.0.4 SKU 555-0199-XL part 123-456-789 ISBN 978-3-16-148410-0 04 12 19 23 31 42';
    expect(found(text, 'phone')).toEqual([]);
  });
  it('reads a country code in parentheses', () => {
    expect(found('UK mobile (+44) 7700 900123', 'phone')).toEqual(['(+44) 7700 900123']);
  });
});
