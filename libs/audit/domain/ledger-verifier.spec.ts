import { createHash } from 'node:crypto';
import { chainHash, generateSigningKeyPair, GENESIS_HASH, type SigningKeyPair } from '@personae/crypto';
import {
  CHECKPOINT_FORMAT,
  CheckpointRoot,
  NO_PREVIOUS,
  signCheckpoint,
  statementDigest,
  type SignedCheckpoint,
} from './checkpoint';
import { buildEntry, canonicalEntry } from './ledger-entry';
import { LedgerVerifier } from './ledger-verifier';

interface Row {
  position: number;
  entry: string;
  hash: Buffer;
}

function ledger(count: number, tenantId = 'acme'): Row[] {
  const rows: Row[] = [];
  let prev = Buffer.from(GENESIS_HASH, 'hex');
  for (let position = 0; position < count; position++) {
    const entry = canonicalEntry(
      buildEntry(
        {
          tenantId,
          eventId: `event-${position}`,
          topic: 'training.conversation',
          type: 'training.conversation.turn',
          occurredAt: new Date(1_732_190_000_000 + position).toISOString(),
          actor: { kind: 'trainer', id: 'alice' },
          personaRef: '',
          sessionId: 'session-1',
          correlationId: `c-${position}`,
          causationId: '',
          key: 'session-1',
          payload: { turn: { role: 'trainer', content: `pii:sha256:${'0'.repeat(64)}` } },
        },
        position,
        new Date(1_732_190_000_000),
      ),
    );
    const hash = createHash('sha256').update(prev).update(entry).digest();
    rows.push({ position, entry, hash });
    prev = hash;
  }
  return rows;
}

function checkpoints(rows: Row[], every: number, key: SigningKeyPair, tenantId = 'acme'): SignedCheckpoint[] {
  const out: SignedCheckpoint[] = [];
  for (let from = 0; from + every <= rows.length; from += every) {
    const root = new CheckpointRoot();
    for (const row of rows.slice(from, from + every)) root.push(row.hash);
    const last = out[out.length - 1];
    out.push(
      signCheckpoint(
        {
          format: CHECKPOINT_FORMAT,
          tenantId,
          sequence: out.length,
          fromPosition: from,
          toPosition: from + every - 1,
          merkleRoot: root.rootHex(),
          chainHead: rows[from + every - 1]!.hash.toString('hex'),
          previous: last ? statementDigest(last.statement) : NO_PREVIOUS,
          createdAt: '2026-11-21T00:00:00.000Z',
        },
        key,
      ),
    );
  }
  return out;
}

function verify(rows: Row[], cps: SignedCheckpoint[], key: SigningKeyPair, expectedNext = rows.length) {
  const verifier = new LedgerVerifier({
    tenantId: 'acme',
    keys: new Map([[key.keyId, key.publicKey]]),
    checkpoints: cps,
  });
  for (const row of rows) if (!verifier.push(row.position, row.entry, row.hash)) break;
  return verifier.finish(expectedNext);
}

describe('LedgerVerifier', () => {
  const key = generateSigningKeyPair();
  const rows = ledger(40);
  const cps = checkpoints(rows, 10, key);

  it('accepts an intact ledger, with the chain construction of @personae/crypto', () => {
    expect(rows[1]!.hash.toString('hex')).toBe(
      chainHash(rows[0]!.hash.toString('hex'), Buffer.from(rows[1]!.entry)),
    );
    expect(verify(rows, cps, key)).toMatchObject({ ok: true, entries: 40, checkpoints: 4, to: 39 });
  });

  it('names an edited entry', () => {
    const edited = rows.map((r) =>
      r.position === 17 ? { ...r, entry: r.entry.replace('alice', 'mallory') } : r,
    );
    expect(verify(edited, cps, key)).toMatchObject({ ok: false, position: 17 });
  });

  it('names a deleted entry, and a deleted tail covered by a checkpoint', () => {
    expect(
      verify(
        rows.filter((r) => r.position !== 23),
        cps,
        key,
      ),
    ).toMatchObject({ ok: false, position: 23 });
    expect(verify(rows.slice(0, 38), cps, key, 38)).toMatchObject({ ok: false, position: 38 });
  });

  it('names the first of two swapped entries', () => {
    const swapped = rows.map((r) =>
      r.position === 8 ? { ...rows[9]!, position: 8 } : r.position === 9 ? { ...rows[8]!, position: 9 } : r,
    );
    expect(verify(swapped, cps, key)).toMatchObject({ ok: false, position: 8 });
  });

  it('catches a chain rewritten from an entry on through the checkpoint covering it', () => {
    const rewritten = rows.map((r) => ({ ...r }));
    rewritten[25]!.entry = rewritten[25]!.entry.replace('alice', 'mallory');
    for (let i = 25; i < rewritten.length; i++)
      rewritten[i]!.hash = createHash('sha256')
        .update(rewritten[i - 1]!.hash)
        .update(rewritten[i]!.entry)
        .digest();
    expect(verify(rewritten, cps, key)).toMatchObject({ ok: false, position: 20 });
  });

  it('refuses checkpoints signed by another key or edited after signing', () => {
    const other = generateSigningKeyPair();
    expect(verify(rows, checkpoints(rows, 10, other), key)).toMatchObject({ ok: false, position: 0 });
    const forged = cps.map((c, i) =>
      i === 2 ? { ...c, statement: { ...c.statement, chainHead: '1'.repeat(64) } } : c,
    );
    expect(verify(rows, forged, key)).toMatchObject({ ok: false, position: 20 });
  });

  it('starts mid-ledger from a signed anchor', () => {
    const verifier = new LedgerVerifier({
      tenantId: 'acme',
      keys: new Map([[key.keyId, key.publicKey]]),
      checkpoints: cps,
      anchor: cps[1],
    });
    for (const row of rows.slice(20)) verifier.push(row.position, row.entry, row.hash);
    expect(verifier.finish(40)).toMatchObject({ ok: true, from: 20, entries: 20, checkpoints: 2 });
  });
});
