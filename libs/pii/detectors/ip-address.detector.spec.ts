import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

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
  it('does not take numbered sections for addresses', () => {
    expect(found('See section 4.2.1.3 and clause 1.2.3.4', 'ip_address')).toEqual([]);
    expect(
      found(
        '[7.6.1.1](http://es5.github.io) [11.6.2.2 Future Reserved Words] v8@10.2.154.26-node.26',
        'ip_address',
      ),
    ).toEqual([]);
    expect(found('ssh admin@192.168.1.1 and [10.0.0.1]', 'ip_address')).toEqual(['192.168.1.1', '10.0.0.1']);
  });
});
