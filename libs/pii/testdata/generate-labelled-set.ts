/**
 * Writes libs/pii/testdata/pii-labelled.jsonl: generated positives of every supported type in
 * many formats and carrier sentences, generated and hand-written hard negatives, and hand-written
 * mixed samples. Deterministic (seeded), so the file only changes when this script does.
 *
 *   node -r @swc-node/register libs/pii/testdata/generate-labelled-set.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hardNegatives } from './hard-negatives';
import { handWrittenSamples } from './hand-written-samples';
import { compose, pii, type LabelledSample, type Piece } from './labelled-sample';
import * as make from './labelled-positives';
import { Rng } from './labelled-values';

type Part = string | Piece;
type Carrier = (value: Piece, rng: Rng) => Part[];

/** Sentences a value of each type turns up in; `v` is the labelled value. */
const simple = (...templates: string[]): Carrier[] =>
  templates.map((t) => (v) => {
    const [before, after] = t.split('%');
    return [before!, v, after ?? ''];
  });

const CARRIERS: Record<string, Carrier[]> = {
  email: simple(
    'Please contact me at % if anything changes.',
    'From: %',
    'Reply-To: "Support" <%>',
    'my email is %, thanks',
    '%',
    'Send the invoice to % (accounts payable).',
    'Customer e-mail: %; status: active',
    'Schreiben Sie an %.',
    '{"user":{"email":"%","plan":"pro"}}',
    'cc: % — please review',
  ),
  phone: simple(
    'Call me on % after 6pm.',
    'Phone: %',
    'Tel. %',
    'You can reach our office at %.',
    'mobile: %, landline unknown',
    'Contact number % (whatsapp only)',
    'Rufen Sie uns an: %',
    'Téléphone : %',
    '{"phone":"%"}',
    'If urgent, % is the on-call line.',
    'Her number is %.',
  ),
  credit_card: simple(
    'Card number: %, exp 09/27',
    'Please charge % for the renewal.',
    'cc=% cvv=***',
    'My Visa is % if you need it',
    'Payment failed for card %.',
    '{"card":"%","exp":"12/26"}',
    'Karte: %',
  ),
  bank_account: simple(
    'IBAN: %',
    'Please transfer the deposit to %.',
    'Bankverbindung: % (Sparkasse)',
    'Refund to account % by Friday',
    '{"iban":"%"}',
    'Virement sur le compte %, merci.',
  ),
  national_id: simple(
    'SSN: %',
    'My social security number is %.',
    'Employee tax id % on file',
    'Applicant SSN % verified',
    '{"ssn":"%"}',
    'National Insurance number: %',
  ),
  ip_address: simple(
    'Login from % failed 3 times',
    'client_ip=% status=403',
    'Connection refused: %',
    'Allowlist the address % please.',
    '{"remote_addr":"%"}',
    'GET /api/orders 200 - %',
    'ssh admin@% -p 22',
  ),
  credentials: simple(
    'OPENAI_API_KEY=%',
    'here is my key: %',
    'export TOKEN=%',
    'Authorization: Bearer %',
    '{"apiKey":"%"}',
    'I accidentally pasted % into the chat',
    'curl -H "X-Api-Key: %" https://api.example.com',
  ),
};

function positives(rng: Rng, type: string, maker: make.Maker, count: number, out: LabelledSample[]): void {
  for (let i = 0; i < count; i++) {
    const carrier = rng.pick(CARRIERS[type]!);
    out.push(
      compose(`${type}-${String(i + 1).padStart(3, '0')}`, `positive:${type}`, carrier(maker(rng), rng)),
    );
  }
}

function contextual(rng: Rng, out: LabelledSample[]): void {
  const dob: Array<(v: Piece) => Part[]> = [
    (v) => ['Date of birth: ', v],
    (v) => ['DOB ', v, ', female, non-smoker'],
    (v) => ['The patient was born on ', v, ' in Leeds.'],
    (v) => ['Geburtsdatum: ', v],
    (v) => ['née le ', v, ' à Lyon'],
    (v) => ['fecha de nacimiento: ', v],
    (v) => ['Birthday: ', v],
    (v) => ['{"name":"[redacted]","dob":"', v, '"}'],
    (v) => ['D.O.B.: ', v, ' — please verify against ID'],
    (v) => ['He was born ', v, '.'],
  ];
  for (let i = 0; i < 45; i++)
    out.push(
      compose(
        `dob-${String(i + 1).padStart(3, '0')}`,
        'positive:date_of_birth',
        rng.pick(dob)(make.birthDate(rng)),
      ),
    );

  for (let i = 0; i < 45; i++) {
    const street = make.streetAddress(rng);
    const [code, region] = make.postcode(rng);
    const forms: Record<string, Array<() => Part[]>> = {
      uk: [
        () => ['Ship to ', street, ', London ', code],
        () => ['Postcode: ', code],
        () => ['Our office: ', street, ', Manchester ', code, ', UK'],
      ],
      us: [
        () => ['Deliver to ', street, ', Springfield, IL ', code],
        () => ['Mailing address: ', street, ', Austin, TX ', code],
        () => ['ZIP code ', code, ' only'],
      ],
      eu: [
        () => ['Adresse: ', street, ', ', code, ' Berlin'],
        () => ['Lieferung an ', street, ', ', code, ' München'],
        () => ['PLZ ', code],
      ],
      ca: [() => ['Send it to ', street, ', Ottawa, ON ', code], () => ['postal code: ', code]],
    };
    out.push(
      compose(
        `postal-${String(i + 1).padStart(3, '0')}`,
        'positive:postal_address',
        rng.pick(forms[region]!)(),
      ),
    );
  }

  const names: Array<(rng: Rng) => Part[]> = [
    (r) => ['My name is ', make.personName(r), ' and I need help with my order.'],
    (r) => ['Dear ', make.personName(r), ','],
    (r) => ['Patient: ', make.fullName(r), ', ward 4'],
    (r) => ['Best regards,\n', make.fullName(r)],
    (r) => [
      'Please ask ',
      rng.pick(['Mr. ', 'Ms. ', 'Dr. ']),
      pii('person_name', 'person_name', r.pick(['Okafor', 'Lindqvist', 'Fairweather', 'Haddad', 'Kowalski'])),
      ' to call back.',
    ],
    (r) => ['"', make.fullName(r), '" <', make.email(r), '>'],
    (r) => ['Account holder: ', make.fullName(r)],
    (r) => ['Ich heiße ', make.fullName(r), '.'],
    (r) => ['I spoke with ', make.fullName(r), ' from billing yesterday.'],
    (r) => ['Assigned to ', make.fullName(r), ' — due Friday'],
  ];
  for (let i = 0; i < 45; i++)
    out.push(compose(`name-${String(i + 1).padStart(3, '0')}`, 'positive:person_name', rng.pick(names)(rng)));

  const passports: Array<(v: Piece) => Part[]> = [
    (v) => ['Passport number: ', v],
    (v) => ['passport no. ', v, ', expires 2031'],
    (v) => ['Reisepass Nr. ', v],
    (v) => ['numéro de passeport ', v],
  ];
  for (let i = 0; i < 12; i++)
    out.push(
      compose(
        `passport-${String(i + 1).padStart(3, '0')}`,
        'positive:passport',
        rng.pick(passports)(make.passport(rng)),
      ),
    );

  const secrets: Array<(r: Rng) => Part[]> = [
    (r) => [
      'password=',
      pii('credentials', 'password', r.chars(12, 'abcdefghkmnpqrstuvwxyzABCDEFGH23456789!$%')),
      ' user=admin',
    ],
    (r) => [
      '{"username":"svc","password":"',
      pii('credentials', 'password', `Sup3r${r.digits(4)}Secret`),
      '"}',
    ],
    (r) => [
      'DATABASE_URL=postgres://app:',
      pii('credentials', 'url_password', `pw${r.chars(10, 'abcdefghijkmnopqrstuvwxyz0123456789')}`),
      '@db.internal:5432/app',
    ],
    (r) => ['client_secret: ', pii('credentials', 'secret', r.chars(32, 'abcdef0123456789')), ''],
    (r) => [
      'Authorization: Bearer ',
      pii(
        'credentials',
        'bearer_token',
        r.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
      ),
      '',
    ],
    (r) => ['key file:\n', pii('credentials', 'pem_private_key', make.pemKey(r)), '\nend of paste'],
  ];
  for (let i = 0; i < 30; i++)
    out.push(
      compose(`secret-${String(i + 1).padStart(3, '0')}`, 'positive:credentials', rng.pick(secrets)(rng)),
    );
}

function mixed(rng: Rng, out: LabelledSample[]): void {
  for (let i = 0; i < 40; i++) {
    const parts: Part[] = rng.pick<Part[]>([
      [
        'Hi, I am ',
        make.fullName(rng),
        '. You can email ',
        make.email(rng),
        ' or call ',
        make.phone(rng),
        '.',
      ],
      [
        'Refund ',
        make.creditCard(rng),
        ' or wire to ',
        make.bankAccount(rng),
        ' — order ORD-2024-',
        rng.digits(6),
        '.',
      ],
      [
        '[',
        `2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}T0${rng.int(0, 9)}:${rng.int(10, 59)}:00Z`,
        '] login user=',
        make.email(rng),
        ' ip=',
        make.ipAddress(rng),
        ' ua=Mozilla/5.0',
      ],
      ['SSN ', make.nationalId(rng), ', born ', make.birthDate(rng), ', phone ', make.phone(rng)],
      [
        'deploy v',
        `${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
        ' with key ',
        make.credentials(rng),
        ' from ',
        make.ipAddress(rng),
      ],
    ]);
    out.push(compose(`mixed-${String(i + 1).padStart(3, '0')}`, 'positive:mixed', parts));
  }
}

export function buildLabelledSet(): LabelledSample[] {
  const rng = new Rng(20261121);
  const out: LabelledSample[] = [];
  positives(rng, 'email', make.email, 40, out);
  positives(rng, 'phone', make.phone, 70, out);
  positives(rng, 'credit_card', make.creditCard, 50, out);
  positives(rng, 'bank_account', make.bankAccount, 45, out);
  positives(rng, 'national_id', make.nationalId, 40, out);
  positives(rng, 'ip_address', make.ipAddress, 45, out);
  positives(rng, 'credentials', make.credentials, 50, out);
  contextual(rng, out);
  mixed(rng, out);
  out.push(...hardNegatives(rng));
  out.push(...handWrittenSamples());
  return out;
}

if (require.main === module) {
  const samples = buildLabelledSet();
  const ids = new Set(samples.map((s) => s.id));
  if (ids.size !== samples.length) throw new Error('duplicate sample ids');
  writeFileSync(
    join(__dirname, 'pii-labelled.jsonl'),
    samples.map((s) => JSON.stringify(s)).join('\n') + '\n',
  );
  console.log(`${samples.length} samples written`);
}
