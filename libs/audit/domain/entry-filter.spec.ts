import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, parseEntryFilter } from './entry-filter';

const topics = ['training.session', 'persona.lifecycle', 'governance.decisions'];

describe('parseEntryFilter', () => {
  it('reads persona refs as any version or one version', () => {
    expect(parseEntryFilter({ persona: 'helper' }, topics)).toEqual({
      ok: true,
      value: { personaName: 'helper', limit: 100, order: 'position' },
    });
    expect(parseEntryFilter({ persona: 'helper.v3' }, topics)).toMatchObject({
      ok: true,
      value: { personaName: 'helper', personaVersion: 3 },
    });
    expect(parseEntryFilter({ persona: 'helper@prod' }, topics)).toMatchObject({
      ok: false,
      field: 'persona',
    });
  });

  it('tells topics from event types and refuses others', () => {
    expect(parseEntryFilter({ type: 'persona.lifecycle' }, topics)).toMatchObject({
      value: { topic: 'persona.lifecycle' },
    });
    expect(parseEntryFilter({ type: 'persona.lifecycle.sealed' }, topics)).toMatchObject({
      value: { type: 'persona.lifecycle.sealed' },
    });
    expect(parseEntryFilter({ type: 'billing.invoices' }, topics)).toMatchObject({
      ok: false,
      field: 'type',
    });
  });

  it('refuses bad decisions, limits, time ranges and cursors with the field and the reason', () => {
    expect(parseEntryFilter({ decision: 'maybe' }, topics)).toMatchObject({ ok: false, field: 'decision' });
    expect(parseEntryFilter({ limit: String(MAX_PAGE_SIZE + 1) }, topics)).toMatchObject({
      ok: false,
      field: 'limit',
    });
    expect(parseEntryFilter({ from: '2026-01-01', to: '2027-06-01' }, topics)).toMatchObject({
      ok: false,
      field: 'to',
      reason: expect.stringContaining('limited'),
    });
    expect(parseEntryFilter({ from: '2026-02-01', to: '2026-01-01' }, topics)).toMatchObject({
      ok: false,
      field: 'to',
    });
    expect(parseEntryFilter({ from: 'yesterday' }, topics)).toMatchObject({ ok: false, field: 'from' });
    expect(parseEntryFilter({ cursor: 'not a cursor!' }, topics)).toMatchObject({
      ok: false,
      field: 'cursor',
    });
    expect(parseEntryFilter({ cursor: Buffer.from('p:-1').toString('base64url') }, topics)).toMatchObject({
      ok: false,
    });
  });

  it('round-trips cursors', () => {
    expect(decodeCursor(encodeCursor({ position: 123456 }))).toEqual({ position: 123456 });
    expect(decodeCursor(encodeCursor({ position: 5, occurredMs: 1732190000000 }))).toEqual({
      position: 5,
      occurredMs: 1732190000000,
    });
    expect(parseEntryFilter({ cursor: encodeCursor({ position: 7 }) }, topics)).toMatchObject({
      value: { afterPosition: 7 },
    });
    // A timeline cursor is not a ledger-order cursor, and the other way round.
    expect(parseEntryFilter({ cursor: encodeCursor({ position: 7, occurredMs: 1 }) }, topics)).toMatchObject({
      ok: false,
      field: 'cursor',
    });
  });
});
