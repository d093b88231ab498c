import { compose, type LabelledSample } from './labelled-sample';
import { HEX, Rng, cardNumber, cardSpecs, group, iban, IBAN_COUNTRIES } from './labelled-values';

/** Text without personal data that looks like it: every finding here is a false positive. */
const FIXED: Array<[string, string]> = [
  ['order', 'Your order ORD-2024-000123 has shipped.'],
  ['order', 'Re: order #100234 — missing item'],
  ['order', 'PO 2024/00012345 approved by finance'],
  ['order', 'Invoice INV-000981234 is overdue (total 1,234.56 EUR).'],
  ['order', 'Ticket JIRA-48213 blocks release 2024.11'],
  ['order', 'Tracking number 1Z999AA10123456784 via UPS'],
  ['order', 'Booking ref: QX7-2291-8831'],
  ['order', 'Case 00123456 escalated to tier 2'],
  ['order', 'Reference: 2024-000-1234-99'],
  ['order', 'Order number 4471029384 was cancelled.'],
  ['version', 'Upgraded from 1.2.3 to v10.0.4 last night.'],
  ['version', 'Requires node >= 20.11.1 and npm 10.2.4'],
  ['version', 'Windows build 10.0.19041.1 is affected'],
  ['version', 'Release v1.2.3.4 fixes the crash'],
  ['version', 'docker pull node:20.11.1-alpine3.19'],
  ['version', 'Chrome/120.0.6099.109 Safari/537.36'],
  ['version', 'version 2.14.0-rc.1+build.5 published'],
  ['version', 'Bumped typescript from 5.4.5 to 5.9.2'],
  ['timestamp', 'Started at 2024-01-15T10:30:00Z, finished 2024-01-15T10:42:13.512Z'],
  ['timestamp', '2024-01-15 10:30:00,123 INFO worker started'],
  ['timestamp', 'Meeting moved to 12/03/2024 at 14:30.'],
  ['timestamp', 'Next review on 15.01.2025 (Q1).'],
  ['timestamp', 'epoch=1705314600 ms=1705314600123'],
  ['timestamp', 'Due date: March 4, 2025. Released on 2020-06-30.'],
  ['timestamp', 'The contract runs 01/01/2024 - 31/12/2026.'],
  ['timestamp', 'uptime 10:30:45, load 0.52 0.61 0.70'],
  ['hash', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
  ['hash', 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ['hash', 'Fixed in a1b2c3d (merge 9e107d9)'],
  ['hash', 'md5 d41d8cd98f00b204e9800998ecf8427e'],
  ['hash', 'request-id: 550e8400-e29b-41d4-a716-446655440000'],
  ['hash', 'etag "33a64df551425fcc55e4d42a148795d9f25f89d4"'],
  [
    'hash',
    'integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
  ],
  ['product', 'SKU 555-0199-XL is back in stock'],
  ['product', 'Part no. 123-456-789 fits models 2019-2023'],
  ['product', 'ISBN 978-3-16-148410-0'],
  ['product', 'Model HX-2023-555-01 recalled'],
  ['product', 'EAN 4006381333931'],
  ['product', 'Serial: SN-4419-8823-1102'],
  ['number', 'We served 1,234,567 users in 2023, up 12.5%.'],
  ['number', 'Room 101, floor 3, building 7'],
  ['number', 'Coordinates 48.8566, 2.3522'],
  ['number', 'Listening on port 8080 (pid 12345)'],
  ['number', 'Price: $1,299.99 or 3 x 433.33'],
  ['number', 'Latency p50 4.6 ms, p99 14.4 ms over 100000 events'],
  ['number', 'Math: 3.14159 2.71828 1.41421'],
  ['network', 'MAC 00:1A:2B:3C:4D:5E on eth0'],
  ['network', 'Invalid address 256.300.1.1 rejected'],
  ['network', 'Subnet mask 1.2.3 is incomplete'],
  ['network', 'std::vector<int> and foo::bar() compile'],
  ['network', 'Use localhost or example.com in docs'],
  ['ssn', 'Sample id 000-12-3456 (invalid area)'],
  ['ssn', 'Form 666-12-3456 is not a valid SSN'],
  ['ssn', 'ITIN-like 912-70-1234 is not an SSN'],
  ['ssn', 'Group zero: 123-00-4567'],
  ['email', 'Use the icon@2x.png asset'],
  ['email', 'npm install @personae/pii'],
  ['email', 'Mention @channel in Slack'],
  ['email', 'The decorator @Injectable() marks providers'],
  ['secret', 'password: ********'],
  ['secret', 'Set api_key=<your-key-here> in .env'],
  ['secret', 'token: ${GITHUB_TOKEN}'],
  ['secret', 'Forgot your password? Click reset.'],
  ['secret', 'The task-force-alpha-bravo-charlie-delta met.'],
  ['secret', 'export OPENAI_API_KEY=changeme'],
  ['name', 'Dear Customer, your ticket was updated.'],
  ['name', 'Hi Team, the deploy is done.'],
  ['name', 'New York and San Francisco offices are closed Monday.'],
  ['name', 'Acme Corp acquired Globex Inc in March.'],
  ['name', 'Thanks for reaching out to Customer Support.'],
  ['name', 'The Golden Gate Bridge opened in 1937.'],
  ['name', 'Best Practices for Node Services'],
  ['name', 'Machine Learning Engineer role in Berlin'],
  ['dob', 'The invoice date is 1985-03-12 per the archive.'],
  ['dob', 'Founded 12 March 1985 in Munich.'],
  ['postal', 'Version 10115 of the dataset'],
  ['postal', 'We shipped 94105 units last year.'],
  ['postal', 'Step 3: run the migration.'],
  ['phone', 'Lottery numbers 04 12 19 23 31 42'],
  ['phone', 'Dimensions 120 x 80 x 45 cm'],
  ['phone', 'Score 2-1 after 90+4 minutes'],
];

/** Generated negatives: card numbers failing Luhn, IBANs failing mod 97, UUIDs, hashes. */
export function hardNegatives(rng: Rng): LabelledSample[] {
  const out = FIXED.map(([what, text], i) =>
    compose(`neg-${what}-${String(i + 1).padStart(3, '0')}`, `negative:${what}`, [text]),
  );
  const specs = cardSpecs(rng);
  for (let i = 0; i < 20; i++) {
    const spec = rng.pick(specs);
    const bad = cardNumber(rng, spec, false);
    const text = rng
      .pick(['Reference %', 'Tracking % (not a card)', 'Batch id %', 'Account ref: %'])
      .replace('%', rng.int(0, 1) ? bad : group(bad, spec.groups, ' '));
    out.push(compose(`neg-luhn-${String(i + 1).padStart(3, '0')}`, 'negative:luhn', [text]));
  }
  for (let i = 0; i < 15; i++) {
    const bad = iban(rng, rng.pick(IBAN_COUNTRIES), false);
    const text = rng
      .pick(['IBAN-like code %', 'Ref: %', 'Document %'])
      .replace('%', rng.int(0, 1) ? bad : group(bad, [4, 4, 4, 4, 4, 4, 4, 4], ' '));
    out.push(compose(`neg-iban-${String(i + 1).padStart(3, '0')}`, 'negative:mod97', [text]));
  }
  for (let i = 0; i < 15; i++) {
    const uuid = `${rng.chars(8, HEX)}-${rng.chars(4, HEX)}-4${rng.chars(3, HEX)}-a${rng.chars(3, HEX)}-${rng.chars(12, HEX)}`;
    const sha = rng.chars(rng.pick([7, 12, 40, 64]), HEX);
    const text = rng.pick([
      `trace ${uuid} span ${rng.chars(16, HEX)}`,
      `git checkout ${sha}`,
      `blob ${sha} in ${uuid}`,
    ]);
    out.push(compose(`neg-id-${String(i + 1).padStart(3, '0')}`, 'negative:hash', [text]));
  }
  for (let i = 0; i < 15; i++) {
    const text = rng.pick([
      `Order ${rng.digits(10)} confirmed, ${rng.int(2, 9)} items`,
      `build ${rng.int(1, 30)}.${rng.int(0, 99)}.${rng.int(0, 999)}.${rng.int(0, 99)} deployed`,
      `at ${2020 + rng.int(0, 6)}-0${rng.int(1, 9)}-${rng.int(10, 28)} ${rng.int(10, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)} the job ran`,
      `invoice #${rng.digits(8)} paid`,
      `ORD-${rng.digits(4)}-${rng.digits(6)} and ORD-${rng.digits(4)}-${rng.digits(6)}`,
    ]);
    out.push(compose(`neg-gen-${String(i + 1).padStart(3, '0')}`, 'negative:generated', [text]));
  }
  return out;
}
