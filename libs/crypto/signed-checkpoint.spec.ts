import { generateSigningKeyPair, signBytes } from './ed25519-keys';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle-tree';
import {
  checkpointBody,
  CheckpointError,
  openCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './signed-checkpoint';
import { TransparencyLog } from './transparency-log';

describe('signed checkpoints (C2SP signed note, Sigstore key hint)', () => {
  const logKey = generateSigningKeyPair();
  const log = { origin: 'log.personae.dev/v1', publicKey: logKey.publicKey, keyId: logKey.keyId };
  const checkpoint: Checkpoint = {
    origin: log.origin,
    treeSize: 42,
    rootHash: Buffer.alloc(32, 7),
    timestamp: 1_732_190_000_123,
  };

  it('writes the checkpoint body and one em-dash signature line with a 4-byte key hint', () => {
    const note = signCheckpoint(checkpoint, logKey);
    const [body, sigLine] = note.split('\n\n');
    expect(`${body}\n`).toBe(checkpointBody(checkpoint));
    expect(body).toBe(`log.personae.dev/v1\n42\n${'BwcH'.repeat(10)}Bwc=\nTimestamp: 1732190000123000000`);
    const match = /^\u2014 log\.personae\.dev\/v1 (\S+)\n$/.exec(sigLine!);
    const blob = Buffer.from(match![1]!, 'base64');
    expect(blob).toHaveLength(68);
    expect(blob.subarray(0, 4).toString('hex')).toBe(logKey.keyId.slice(0, 8));
  });

  it('opens a checkpoint signed by the log key', () => {
    expect(openCheckpoint(signCheckpoint(checkpoint, logKey), log)).toEqual(checkpoint);
  });

  it('rejects a changed size, root, origin or timestamp', () => {
    const note = signCheckpoint(checkpoint, logKey);
    for (const forged of [
      note.replace('\n42\n', '\n43\n'),
      note.replace('BwcH', 'BwcI'),
      note.replace('Timestamp: 1', 'Timestamp: 2'),
    ]) {
      expect(() => openCheckpoint(forged, log)).toThrow('no valid signature by the log key');
    }
    expect(() => openCheckpoint(note, { ...log, origin: 'other.dev' })).toThrow(/origin/);
  });

  it('rejects a checkpoint signed by another key, and ignores extra cosignatures', () => {
    const other = generateSigningKeyPair();
    expect(() => openCheckpoint(signCheckpoint(checkpoint, other), log)).toThrow(CheckpointError);
    const body = checkpointBody(checkpoint);
    const witness = Buffer.concat([Buffer.alloc(4), signBytes(other.privateKey, Buffer.from(body))]).toString(
      'base64',
    );
    const cosigned = `${signCheckpoint(checkpoint, logKey)}\u2014 witness.example ${witness}\n`;
    expect(openCheckpoint(cosigned, log).treeSize).toBe(42);
  });

  it('refuses malformed notes', () => {
    const note = signCheckpoint(checkpoint, logKey);
    expect(() => openCheckpoint(note.replace('\n\n', '\n'), log)).toThrow(/signature block/);
    expect(() => openCheckpoint(note.slice(0, -1), log)).toThrow(/newline/);
    expect(() => openCheckpoint(note.replace('\n42\n', '\n042\n'), log)).toThrow(/decimal/);
    expect(() => openCheckpoint(note.replace('\u2014', '-'), log)).toThrow(/malformed signature line/);
    expect(() => openCheckpoint('x'.repeat(9000), log)).toThrow(/not a checkpoint/);
    expect(() => signCheckpoint({ ...checkpoint, origin: 'has space' }, logKey)).toThrow(/origin/);
  });
});

describe('TransparencyLog', () => {
  it('returns proofs that verify against the signed checkpoint of each append', () => {
    const key = generateSigningKeyPair();
    const log = new TransparencyLog('log.test', key, undefined, () => 1_000);
    const trusted = { origin: 'log.test', publicKey: key.publicKey, keyId: key.keyId };
    const first = log.append(Buffer.from('a'));
    const entries = ['b', 'c', 'd', 'e'].map((leaf) => log.append(Buffer.from(leaf)));
    const last = entries[entries.length - 1]!;
    expect(last.logIndex).toBe(4);
    const cp = openCheckpoint(last.checkpoint, trusted);
    expect(cp).toEqual({ origin: 'log.test', treeSize: 5, rootHash: last.rootHash, timestamp: 1_000 });
    expect(verifyInclusion(hashLeaf(Buffer.from('e')), 4, 5, last.hashes, cp.rootHash)).toBe(true);
    expect(verifyInclusion(hashLeaf(Buffer.from('a')), 0, 5, log.inclusionProof(0), cp.rootHash)).toBe(true);
    expect(verifyConsistency(1, 5, first.rootHash, cp.rootHash, log.consistencyProof(1))).toBe(true);
    expect(openCheckpoint(log.checkpoint(3).note, trusted).rootHash.equals(log.tree.root(3))).toBe(true);
  });
});
