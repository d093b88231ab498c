import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
function found(text: string, type: PiiType): string[] {
  return detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));
}

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
});

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

describe('IBAN detector', () => {
  it('takes exactly the country length, grouped or compact, and checks mod 97', () => {
    const text = 'Pay DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX or GB82WEST12345698765432.';
    expect(found(text, 'bank_account')).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
    expect(found('DE89 3704 0044 0532 0130 01', 'bank_account')).toEqual([]);
  });
});

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

describe('ip address detector', () => {
  it('finds IPv4 and IPv6, also with ports and brackets', () => {
    expect(found('from 203.0.113.45:51234 and [2001:db8::1]:443 and fe80::1', 'ip_address')).toEqual([
      '203.0.113.45',
      '2001:db8::1',
      'fe80::1',
    ]);
  });
  it('ignores versions, OIDs, networks, MAC addresses, times and C++ scopes', () => {
    const text =
      'v1.2.3.4 version 10.0.0.1 1.3.6.1.4.1 10.0.0.0/8 256.1.1.1 00:1A:2B:3C:4D:5E 10:30:45 std::vector Chrome/121.0.0.0';
    expect(found(text, 'ip_address')).toEqual([]);
  });
});

describe('credentials detector', () => {
  it('finds prefixed keys, JWTs, bearer tokens, PEM keys and assigned passwords', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----';
    const text = `k=AKIAIOSFODNN7EXAMPLE ${jwt} Authorization: Bearer abcDEF1234567890xyz\n${pem}\npassword=hunter22 postgres://u:s3cr3t@db:5432/x`;
    expect(detectPii(text, { types: ['credentials'] }).map((f) => f.subtype)).toEqual([
      'aws_access_key_id',
      'jwt',
      'bearer_token',
      'pem_private_key',
      'password',
      'url_password',
    ]);
  });
  it('finds our own API keys (pk_<hex>_<secret>)', () => {
    const key = `pk_${'0123456789abcdef'.repeat(2)}_${'A'.repeat(43)}`;
    expect(detectPii(`x-api-key: ${key}`).map((f) => f.subtype)).toEqual(['personae_api_key']);
  });
  it('ignores placeholders and words that only look like keys', () => {
    expect(
      found(
        'password: ******** api_key=<your-key> token: ${TOKEN} the task-force met; password is incorrect',
        'credentials',
      ),
    ).toEqual([]);
  });
});

describe('contextual detectors', () => {
  it('takes dates only as birth dates after a birth cue', () => {
    expect(found('DOB: 03/12/1985; meeting on 12/03/2024; born on March 4, 1990', 'date_of_birth')).toEqual([
      '03/12/1985',
      'March 4, 1990',
    ]);
  });
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
  it('finds names after titles, introductions and known first names, not greetings to roles', () => {
    expect(found('Dear Mr. Thompson, my name is Maria Garcia. I met Wei Zhang.', 'person_name')).toEqual([
      'Thompson',
      'Maria Garcia',
      'Wei Zhang',
    ]);
    expect(found('Dear Customer, Hi Team, New York office, Acme Corp.', 'person_name')).toEqual([]);
  });
  it('finds passport numbers only next to the word passport', () => {
    expect(found('Passport no. X12345678; ref X12345678', 'passport')).toEqual(['X12345678']);
  });
  it('accepts health (unsupported) without error', () => {
    expect(detectPii('diagnosed with type 2 diabetes', { types: ['health'] })).toEqual([]);
  });
});
