import { pii, type Piece } from './labelled-sample';
import {
  ALNUM,
  B64URL,
  HEX,
  IBAN_COUNTRIES,
  Rng,
  UPPER_ALNUM,
  cardNumber,
  cardSpecs,
  group,
  iban,
  ipv4,
  ipv6,
  ssn,
} from './labelled-values';

const FIRST = [
  'James',
  'Maria',
  'Wei',
  'Aisha',
  'Lukas',
  'Chloé',
  'Siobhan',
  'Oluwaseun',
  'Priya',
  'Mateo',
  'Thandiwe',
  'Bartholomew',
  'Ingrid',
  'Kenji',
  'Fatima',
  'Noah',
  'Zofia',
  'Emeka',
  'Lucía',
  'Declan',
  'Yara',
  'Henrik',
  'Amara',
  'Sven',
];
const LAST = [
  'Smith',
  'García',
  'Zhang',
  'Khan',
  'Müller',
  'Dubois',
  "O'Brien",
  'Adeyemi',
  'Patel',
  'Rossi',
  'Nkosi',
  'Fairweather',
  'Johansson',
  'Tanaka',
  'Haddad',
  'Nguyen',
  'Kowalski',
  'Okafor',
  'Fernández',
  'McCarthy',
  'van der Berg',
  'Lindqvist',
  'Mensah',
  'Larsen',
];
const DOMAINS = [
  'example.com',
  'mail.example.org',
  'acme-corp.io',
  'uni-heidelberg.de',
  'orange.fr',
  'gov.uk',
  'company.co.jp',
  'startup.ai',
  'yahoo.com.br',
  'posteo.net',
];

export type Maker = (rng: Rng) => Piece;

function person(rng: Rng): [string, string] {
  return [rng.pick(FIRST), rng.pick(LAST)];
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export const email: Maker = (rng) => {
  const [f, l] = person(rng);
  const local = rng.pick([
    `${ascii(f)}.${ascii(l)}`,
    `${ascii(f)[0]}${ascii(l)}`,
    `${ascii(f)}_${ascii(l)}${rng.int(1, 99)}`,
    `${ascii(f)}+${rng.pick(['news', 'billing', 'test'])}`,
    `${ascii(f).toUpperCase()}.${ascii(l).toUpperCase()}`,
    `${ascii(l)}-${rng.digits(3)}`,
  ]);
  return pii('email', 'email', `${local}@${rng.pick(DOMAINS)}`);
};

export const phone: Maker = (rng) => {
  const d = (n: number) => rng.digits(n);
  const area = () => String(rng.int(2, 9)) + d(2);
  const exch = () => String(rng.int(2, 9)) + d(2);
  const forms: Array<() => [string, string]> = [
    () => [`(${area()}) ${exch()}-${d(4)}`, 'nanp'],
    () => [`${area()}-${exch()}-${d(4)}`, 'nanp'],
    () => [`${area()}.${exch()}.${d(4)}`, 'nanp'],
    () => [`+1 ${area()} ${exch()} ${d(4)}`, 'international'],
    () => [`+1-${area()}-${exch()}-${d(4)}`, 'international'],
    () => [`1-800-${exch()}-${d(4)}`, 'nanp'],
    () => [`+44 20 ${d(4)} ${d(4)}`, 'international'],
    () => [`020 ${d(4)} ${d(4)}`, 'national'],
    () => [`07${d(3)} ${d(6)}`, 'national'],
    () => [`+44 (0)20 ${d(4)} ${d(4)}`, 'international'],
    () => [`+33 ${rng.int(1, 7)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`, 'international'],
    () => [`0${rng.int(1, 7)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`, 'national'],
    () => [`0${rng.int(6, 7)}.${d(2)}.${d(2)}.${d(2)}.${d(2)}`, 'national'],
    () => [`+49 30 ${d(8)}`, 'international'],
    () => [`030 ${d(8)}`, 'national'],
    () => [`0151 ${d(8)}`, 'national'],
    () => [`+49 (0)89 ${d(7)}`, 'international'],
    () => [`+34 9${d(2)} ${d(3)} ${d(3)}`, 'international'],
    () => [`+91 9${d(4)} ${d(5)}`, 'international'],
    () => [`+91-9${d(4)}-${d(5)}`, 'international'],
    () => [`+81 3-${d(4)}-${d(4)}`, 'international'],
    () => [`03-${d(4)}-${d(4)}`, 'national'],
    () => [`+55 11 9${d(4)}-${d(4)}`, 'international'],
    () => [`+61 2 ${d(4)} ${d(4)}`, 'international'],
    () => [`(02) ${d(4)} ${d(4)}`, 'national'],
    () => [`+1${area()}${exch()}${d(4)}`, 'international'],
    () => [`+447${d(9)}`, 'international'],
    () => [`0049 30 ${d(7)}`, 'international'],
    () => [`+39 02 ${d(4)} ${d(4)}`, 'international'],
    () => [`+86 10 ${d(4)} ${d(4)}`, 'international'],
  ];
  const [value, subtype] = rng.pick(forms)();
  return pii('phone', subtype, value);
};

export const creditCard: Maker = (rng) => {
  const spec = rng.pick(cardSpecs(rng));
  const number = cardNumber(rng, spec);
  const separator = rng.pick([' ', '-', '', ' ']);
  return pii('credit_card', spec.network, separator === '' ? number : group(number, spec.groups, separator));
};

export const bankAccount: Maker = (rng) => {
  const value = iban(rng, rng.pick(IBAN_COUNTRIES));
  return pii(
    'bank_account',
    'iban',
    rng.int(0, 2) === 0 ? value : group(value, [4, 4, 4, 4, 4, 4, 4, 4], ' '),
  );
};

export const nationalId: Maker = (rng) => {
  const [a, g, s] = ssn(rng);
  if (rng.int(0, 7) === 0) {
    const nino = `${rng.pick(['AB', 'JG', 'PR', 'SW', 'WK'])}${rng.digits(6)}${rng.pick(['A', 'B', 'C', 'D'])}`;
    const spaced =
      rng.int(0, 1) === 0
        ? nino
        : `${nino.slice(0, 2)} ${nino.slice(2, 4)} ${nino.slice(4, 6)} ${nino.slice(6, 8)} ${nino.slice(8)}`;
    return pii('national_id', 'uk_nino', spaced);
  }
  return pii('national_id', 'us_ssn', rng.pick([`${a}-${g}-${s}`, `${a}-${g}-${s}`, `${a} ${g} ${s}`]));
};

export const ipAddress: Maker = (rng) =>
  rng.int(0, 1) === 0 ? pii('ip_address', 'ipv4', ipv4(rng)) : pii('ip_address', 'ipv6', ipv6(rng));

export const credentials: Maker = (rng) => {
  const forms: Array<() => [string, string]> = [
    () => [`sk-proj-${rng.chars(48, B64URL)}`, 'openai_api_key'],
    () => [`sk-${rng.chars(48, ALNUM)}`, 'openai_api_key'],
    () => [`sk-ant-api03-${rng.chars(60, B64URL)}`, 'anthropic_api_key'],
    () => [`AKIA${rng.chars(16, UPPER_ALNUM)}`, 'aws_access_key_id'],
    () => [`ghp_${rng.chars(36, ALNUM)}`, 'github_token'],
    () => [`github_pat_${rng.chars(22, ALNUM)}_${rng.chars(59, ALNUM)}`, 'github_token'],
    () => [`xoxb-${rng.digits(12)}-${rng.digits(12)}-${rng.chars(24, ALNUM)}`, 'slack_token'],
    () => [`sk_live_${rng.chars(24, ALNUM)}`, 'stripe_secret_key'],
    () => [`AIza${rng.chars(35, B64URL)}`, 'google_api_key'],
    () => [`pk_${rng.chars(32, HEX)}_${rng.chars(43, B64URL)}`, 'personae_api_key'],
    () => [jwt(rng), 'jwt'],
    () => [`glpat-${rng.chars(20, B64URL)}`, 'gitlab_token'],
  ];
  const [value, subtype] = rng.pick(forms)();
  return pii('credentials', subtype, value);
};

export function jwt(rng: Rng): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const header = b64(JSON.stringify({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }));
  const payload = b64(JSON.stringify({ sub: rng.digits(10), iat: 1700000000 + rng.int(0, 9999999) }));
  return `${header}.${payload}.${rng.chars(43, B64URL)}`;
}

export function pemKey(rng: Rng): string {
  const kind = rng.pick(['RSA ', 'EC ', '', 'OPENSSH ']);
  const lines = Array.from({ length: rng.int(3, 6) }, () => rng.chars(64, ALNUM + '+/'));
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`;
}

export function personName(rng: Rng): Piece {
  const [f, l] = person(rng);
  return pii('person_name', 'person_name', rng.int(0, 4) === 0 ? f : `${f} ${l}`);
}

export function fullName(rng: Rng): Piece {
  const [f, l] = person(rng);
  return pii('person_name', 'person_name', `${f} ${l}`);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function birthDate(rng: Rng): Piece {
  const y = rng.int(1940, 2006);
  const m = rng.int(1, 12);
  const day = rng.int(1, 28);
  const p = (n: number) => String(n).padStart(2, '0');
  const value = rng.pick([
    `${y}-${p(m)}-${p(day)}`,
    `${p(day)}/${p(m)}/${y}`,
    `${m}/${day}/${y}`,
    `${p(day)}.${p(m)}.${y}`,
    `${day} ${MONTHS[m - 1]} ${y}`,
    `${MONTHS[m - 1]} ${day}, ${y}`,
    `${MONTHS[m - 1]!.slice(0, 3)} ${day}, ${y}`,
  ]);
  return pii('date_of_birth', 'date_of_birth', value);
}

export function streetAddress(rng: Rng): Piece {
  const n = rng.int(1, 2400);
  const value = rng.pick([
    `${n} ${rng.pick(['Maple', 'Oak', 'Baker', 'Elm', 'Sunset', 'Lincoln', 'Park'])} ${rng.pick(['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Blvd', 'St.'])}`,
    `${n} ${rng.pick(['North Main', 'West Elm', 'Old Mill'])} ${rng.pick(['Street', 'Road'])}`,
    `${rng.pick(['Haupt', 'Bahnhof', 'Goethe', 'Schiller', 'Linden'])}${rng.pick(['straße', 'strasse', 'weg', 'allee', 'platz'])} ${rng.int(1, 120)}`,
    `${rng.int(1, 90)} rue ${rng.pick(['de la Paix', 'Victor Hugo', 'du Faubourg Saint-Honoré', 'des Lilas'])}`,
    `${rng.int(1, 90)} avenue ${rng.pick(['des Champs-Élysées', 'Jean Jaurès'])}`,
    `Calle ${rng.pick(['Mayor', 'de Alcalá', 'Gran Vía'])} ${rng.int(1, 200)}`,
    `Via ${rng.pick(['Roma', 'Garibaldi', 'Dante'])} ${rng.int(1, 200)}`,
  ]);
  return pii('postal_address', 'street_address', value);
}

export function postcode(rng: Rng): [Piece, string] {
  const L = () => rng.chars(1, 'ABDEFGHJLNPQRSTUWXYZ');
  const forms: Array<() => [Piece, string]> = [
    () => [
      pii(
        'postal_address',
        'uk_postcode',
        `${rng.pick(['SW1A', 'EC1A', 'M1', 'B33', 'CR2', 'DN55', 'W1A', 'NW1'])} ${rng.int(0, 9)}${L()}${L()}`,
      ),
      'uk',
    ],
    () => [pii('postal_address', 'us_zip', rng.digits(5)), 'us'],
    () => [pii('postal_address', 'us_zip', `${rng.digits(5)}-${rng.digits(4)}`), 'us'],
    () => [pii('postal_address', 'postcode', String(rng.int(10000, 99999))), 'eu'],
    () => [pii('postal_address', 'ca_postcode', `K1A 0B${rng.int(1, 9)}`), 'ca'],
  ];
  return rng.pick(forms)();
}

export function passport(rng: Rng): Piece {
  return pii(
    'passport',
    'passport_number',
    rng.pick([
      `${rng.chars(1, 'ABCDEFGHJKLMNPRSTUVWXYZ')}${rng.digits(8)}`,
      rng.digits(9),
      `${rng.chars(2, 'CFGHJKLMNPRTVWXYZ')}${rng.digits(7)}`,
    ]),
  );
}
