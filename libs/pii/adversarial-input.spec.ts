import { detectPii } from './detect-pii';

/**
 * detectPii runs on untrusted input (prompts, uploads) in the governance hot path: no input may make
 * it quadratic. Each input is 100 KB of a pattern aimed at one detector's backtracking or at the
 * overlap resolution; a quadratic path takes tens of seconds here (the JWT one did: 44 s at 200 KB).
 */
const SIZE = 100_000;
const repeat = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));

const INPUTS: Record<string, string> = {
  'a run of digits': repeat('1'),
  'digits and spaces': repeat('12 '),
  'at signs': repeat('a@'),
  'dotted local part': repeat('a.') + '@' + repeat('b.'),
  colons: repeat('1:'),
  'JWT prefixes without dots': repeat('eyJ'),
  'PEM headers without footer': repeat('-----BEGIN PRIVATE KEY-----'),
  'known first names in a row': repeat('John '),
  'greetings in a row': repeat('Dear '),
  'display names without address': repeat('John Smith <'),
  'password keys': repeat('password='),
  'URL credentials': repeat('a://b:c@'),
  'IBAN prefixes': repeat('DE89 '),
  'parentheses and digits': repeat('(1'),
};

describe('detectPii on adversarial input', () => {
  it.each(Object.entries(INPUTS))('%s: linear time', (_name, text) => {
    const started = performance.now();
    detectPii(text);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
