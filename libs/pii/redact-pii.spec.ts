import { inspect } from 'node:util';
import { detectPii } from './detect-pii';
import { PseudonymTable } from './pseudonym-table';
import { redactPii } from './redact-pii';

const TEXT = 'Mail ann@example.com or bob@example.org, then ann@example.com again; card 4111 1111 1111 1111.';

describe('redactPii', () => {
  it('masks with a typed placeholder by default and reports positions in the original', () => {
    const { text, findings } = redactPii(TEXT);
    expect(text).toBe('Mail [EMAIL] or [EMAIL], then [EMAIL] again; card [CREDIT_CARD].');
    expect(findings.map((f) => [f.type, TEXT.slice(f.start, f.end)])).toEqual([
      ['email', 'ann@example.com'],
      ['email', 'bob@example.org'],
      ['email', 'ann@example.com'],
      ['credit_card', '4111 1111 1111 1111'],
    ]);
  });

  it('never puts the matched text in a finding', () => {
    for (const finding of detectPii(TEXT)) {
      expect(Object.keys(finding).sort()).toEqual(['end', 'start', 'subtype', 'type']);
      expect(JSON.stringify(finding)).not.toContain('example');
    }
  });

  it('pseudonymizes consistently within a session table, across calls', () => {
    const pseudonyms = new PseudonymTable();
    const first = redactPii(TEXT, { mode: 'pseudonymize', pseudonyms });
    expect(first.text).toBe('Mail [EMAIL_1] or [EMAIL_2], then [EMAIL_1] again; card [CREDIT_CARD_1].');
    const second = redactPii('bob@example.org wrote to carol@example.net', {
      mode: 'pseudonymize',
      pseudonyms,
    });
    expect(second.text).toBe('[EMAIL_2] wrote to [EMAIL_3]');
    // another session does not share numbers
    expect(redactPii('bob@example.org', { mode: 'pseudonymize' }).text).toBe('[EMAIL_1]');
  });

  it('keeps no clear value in the pseudonym table', () => {
    const pseudonyms = new PseudonymTable();
    redactPii(TEXT, { mode: 'pseudonymize', pseudonyms });
    expect(pseudonyms.size).toBe(3);
    const dump = inspect(pseudonyms, { depth: 5, showHidden: true });
    expect(dump).not.toContain('ann@example.com');
    expect(dump).not.toContain('4111');
  });

  it('removes, and redacts only the asked types', () => {
    expect(redactPii(TEXT, { mode: 'remove' }).text).toBe('Mail  or , then  again; card .');
    const onlyCards = redactPii(TEXT, { types: ['credit_card'] });
    expect(onlyCards.text).toBe(
      'Mail ann@example.com or bob@example.org, then ann@example.com again; card [CREDIT_CARD].',
    );
    expect(onlyCards.findings).toHaveLength(1);
  });

  it('leaves text without personal data untouched', () => {
    const clean = 'Release 1.2.3 shipped on 2024-05-01 for order ORD-2024-000123.';
    expect(redactPii(clean)).toEqual({ text: clean, findings: [] });
  });

  it('digest pseudonyms agree across tables holding the same key, and differ under another key', () => {
    const key = Buffer.alloc(32, 7);
    const a = redactPii('ann@example.com', {
      mode: 'pseudonymize',
      pseudonyms: new PseudonymTable({ key, style: 'digest' }),
    });
    const b = redactPii('x ann@example.com', {
      mode: 'pseudonymize',
      pseudonyms: new PseudonymTable({ key, style: 'digest' }),
    });
    const other = redactPii('ann@example.com', {
      mode: 'pseudonymize',
      pseudonyms: new PseudonymTable({ style: 'digest' }),
    });
    expect(a.text).toMatch(/^\[EMAIL_[0-9a-f]{8}\]$/);
    expect(b.text).toBe(`x ${a.text}`);
    expect(other.text).not.toBe(a.text);
  });

  it('refuses new values past maxEntries', () => {
    const pseudonyms = new PseudonymTable({ maxEntries: 1 });
    redactPii('ann@example.com', { mode: 'pseudonymize', pseudonyms });
    expect(() => redactPii('bob@example.org', { mode: 'pseudonymize', pseudonyms })).toThrow(
      'pseudonym table full',
    );
  });
});
