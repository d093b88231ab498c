import { detectPii, piiTypesIn, resolveOverlaps } from './detect-pii';

describe('detectPii', () => {
  it('lets the most specific type win where detectors overlap', () => {
    const text = 'postgres://app:s3cretPw@db.example.com:5432/x and DE89 3704 0044 0532 0130 00';
    expect(detectPii(text).map((f) => [f.type, text.slice(f.start, f.end)])).toEqual([
      ['credentials', 's3cretPw'],
      ['bank_account', 'DE89 3704 0044 0532 0130 00'],
    ]);
  });

  it('reports the same findings for a type whether or not other types are asked for', () => {
    const text = 'mail ann@example.com, call +44 20 7946 0958, SSN 123-45-6789';
    const all = detectPii(text);
    expect(detectPii(text, { types: ['phone'] })).toEqual(all.filter((f) => f.type === 'phone'));
    expect(detectPii(text, { types: [] })).toEqual([]);
  });

  it('accepts unsupported types (health) and empty text without error', () => {
    expect(detectPii('diagnosed with type 2 diabetes', { types: ['health'] })).toEqual([]);
    expect(detectPii('')).toEqual([]);
  });

  it('resolves overlaps by priority, then length, keeping disjoint findings', () => {
    const resolved = resolveOverlaps([
      { type: 'phone', subtype: 'national', start: 5, end: 17 },
      { type: 'bank_account', subtype: 'iban', start: 0, end: 22 },
      { type: 'person_name', subtype: 'context', start: 30, end: 35 },
      { type: 'person_name', subtype: 'context', start: 30, end: 40 },
    ]);
    expect(resolved).toEqual([
      { type: 'bank_account', subtype: 'iban', start: 0, end: 22 },
      { type: 'person_name', subtype: 'context', start: 30, end: 40 },
    ]);
  });

  it('lists the distinct types found, for a policy decision', () => {
    expect(piiTypesIn('ann@example.com, bob@example.org, SSN 123-45-6789')).toEqual(['email', 'national_id']);
    expect(piiTypesIn('release 1.2.3 on 2024-05-01')).toEqual([]);
  });

  it('skips digit-only detectors on text without digits and still finds the rest', () => {
    const text = 'Dear Mr. Okafor, mail ann@example.com; password=correct-horse-battery-staple';
    expect(detectPii(text).map((f) => f.type)).toEqual(['person_name', 'email', 'credentials']);
  });
});
