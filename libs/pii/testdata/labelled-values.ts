/**
 * Value generators for the labelled set: valid card numbers (Luhn), IBANs (mod 97), SSNs, IP
 * addresses, credentials… each in several written formats. Deterministic from the seeded `Rng`.
 */

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const HEX = '0123456789abcdef';
export const B64URL = ALNUM + '-_';

function luhnCheckDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

export interface CardSpec {
  network: string;
  prefix: () => string;
  length: number;
  groups: number[];
}

export function cardSpecs(rng: Rng): CardSpec[] {
  return [
    { network: 'visa', prefix: () => '4', length: 16, groups: [4, 4, 4, 4] },
    { network: 'visa', prefix: () => '4', length: 13, groups: [4, 4, 5] },
    { network: 'mastercard', prefix: () => String(rng.int(51, 55)), length: 16, groups: [4, 4, 4, 4] },
    { network: 'mastercard', prefix: () => String(rng.int(2221, 2720)), length: 16, groups: [4, 4, 4, 4] },
    { network: 'amex', prefix: () => rng.pick(['34', '37']), length: 15, groups: [4, 6, 5] },
    { network: 'discover', prefix: () => rng.pick(['6011', '65', '644']), length: 16, groups: [4, 4, 4, 4] },
    { network: 'jcb', prefix: () => String(rng.int(3528, 3589)), length: 16, groups: [4, 4, 4, 4] },
    { network: 'diners', prefix: () => rng.pick(['36', '38', '300']), length: 14, groups: [4, 6, 4] },
    { network: 'unionpay', prefix: () => '62', length: 16, groups: [4, 4, 4, 4] },
    { network: 'unionpay', prefix: () => '62', length: 19, groups: [4, 4, 4, 4, 3] },
  ];
}

export function cardNumber(rng: Rng, spec: CardSpec, valid = true): string {
  const prefix = spec.prefix();
  const body = prefix + rng.digits(spec.length - prefix.length - 1);
  const check = luhnCheckDigit(body);
  return body + (valid ? check : String((Number(check) + rng.int(1, 9)) % 10));
}

export function group(value: string, groups: number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(value.slice(at, at + g));
    at += g;
  }
  if (at < value.length) parts.push(value.slice(at));
  return parts.filter((p) => p !== '').join(separator);
}

/** BBAN layouts: n = digits, a = upper letters, c = upper alphanumerics. */
const BBAN: Record<string, string> = {
  DE: '18n',
  GB: '4a,14n',
  FR: '10n,11c,2n',
  ES: '20n',
  NL: '4a,10n',
  IT: '1a,10n,12c',
  CH: '5n,12c',
  BE: '12n',
  AT: '16n',
  PL: '24n',
  IE: '4a,14n',
  PT: '21n',
  NO: '11n',
  SE: '20n',
  DK: '14n',
  FI: '14n',
  LU: '3n,13c',
};
export const IBAN_COUNTRIES = Object.keys(BBAN);

function mod97(numeric: string): number {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97;
  return r;
}

function toNumeric(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

export function iban(rng: Rng, country: string, valid = true): string {
  let bban = '';
  for (const part of BBAN[country]!.split(',')) {
    const n = Number(part.slice(0, -1));
    const kind = part.slice(-1);
    bban +=
      kind === 'n'
        ? rng.digits(n)
        : kind === 'a'
          ? rng.chars(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
          : rng.chars(n, UPPER_ALNUM);
  }
  const check = 98 - mod97(toNumeric(bban + country + '00'));
  const digits = String(valid ? check : ((check + rng.int(1, 50)) % 97) + 2).padStart(2, '0');
  return country + digits + bban;
}

export function ssn(rng: Rng): [string, string, string] {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  return [
    String(area).padStart(3, '0'),
    String(rng.int(1, 99)).padStart(2, '0'),
    String(rng.int(1, 9999)).padStart(4, '0'),
  ];
}

export function ipv4(rng: Rng): string {
  const first = rng.pick([10, 172, 192, rng.int(1, 223)]);
  return [first, rng.int(0, 255), rng.int(0, 255), rng.int(1, 254)].join('.');
}

export function ipv6(rng: Rng): string {
  const h = () => rng.int(0, 0xffff).toString(16);
  const full = () => Array.from({ length: 8 }, h).join(':');
  const forms = [
    full,
    () => full().toUpperCase(),
    () => `2001:db8::${h()}:${h()}`,
    () => `fe80::${h()}:${h()}:${h()}:${h()}`,
    () => `2a00:1450:4001:${h()}::${h()}`,
    () => `::ffff:${ipv4(rng)}`,
    () => `2001:0db8:85a3:0000:0000:8a2e:0370:${rng.int(0, 0xffff).toString(16).padStart(4, '0')}`,
  ];
  return rng.pick(forms)();
}
