import { generateSigningKeyPair, TransparencyLog, type SigstoreBundle } from '@personae/crypto';
import type { ChannelHistory } from './channel-history';
import { canonicalPackBytes } from './pack-statement';
import { sealPack } from './seal-pack';
import { TrustedLog } from './trusted-log';
import {
  verifySealedPack,
  verifySealedPackAsync,
  type TrustedSigner,
  type VerifySealedPackInput,
  type VerifySealedPackResult,
} from './verify-sealed-pack';

const governanceReportDigest = 'c'.repeat(64);
const approvals = [{ by: 'reviewer-1', role: 'reviewer', at: '2024-11-21T10:00:00Z' }];
function pack(version: number, system = 'You are a careful biology researcher.'): Record<string, unknown> {
  return {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: { name: 'biology_researcher', version, tags: ['science'] },
    spec: { prompt: { system }, personality: { openness: 0.8 }, capabilities: ['research'] },
  };
}

const signer = generateSigningKeyPair();
const logKey = generateSigningKeyPair();
const log = new TransparencyLog('log.personae.test', logKey);
const trustedLog = new TrustedLog('log.personae.test', logKey.publicKey);
const sealed = [1, 2, 3].map((v) =>
  sealPack({ pack: pack(v), approvals, governanceReportDigest, signer, log }),
);
const trustedKeys = new Map<string, TrustedSigner>([
  [signer.keyId, { publicKey: signer.publicKey, roles: ['pack-signer'] }],
]);
const prod = (served: number[], rollbacks: ChannelHistory['rollbacks'] = []): ChannelHistory => ({
  channel: 'prod',
  served: served.map((version, i) => ({ version, at: (i + 1) * 10 })),
  rollbacks,
});

function input(v: 1 | 2 | 3, patch: Partial<VerifySealedPackInput> = {}): VerifySealedPackInput {
  return {
    bundle: JSON.parse(JSON.stringify(sealed[v - 1]!.bundle)),
    pack: pack(v),
    expected: { name: 'biology_researcher' },
    trustedKeys,
    transparencyLog: { log: trustedLog },
    now: Date.UTC(2024, 10, 22),
    ...patch,
  };
}
const bundleWith = (v: 1 | 2 | 3, mutate: (b: SigstoreBundle) => void): SigstoreBundle => {
  const bundle = JSON.parse(JSON.stringify(sealed[v - 1]!.bundle)) as SigstoreBundle;
  mutate(bundle);
  return bundle;
};
/** Runs the sync and the thread-pool variant and insists they agree. */
async function verify(i: VerifySealedPackInput): Promise<VerifySealedPackResult> {
  const sync = verifySealedPack(i);
  expect(await verifySealedPackAsync(i)).toEqual(sync);
  return sync;
}
async function failure(i: VerifySealedPackInput): Promise<{ check: string; reason: string }> {
  const result = await verify(i);
  if (result.ok) throw new Error('expected a failure');
  return { check: result.check, reason: result.reason };
}

describe('verifySealedPack', () => {
  it('accepts a good bundle, as object, text or canonical pack bytes', async () => {
    const result = await verify(input(2, { expected: { name: 'biology_researcher', version: 2 } }));
    expect(result).toMatchObject({
      ok: true,
      keyId: signer.keyId,
      ref: 'biology_researcher.v2',
      logIndex: 1,
    });
    expect(result.ok && result.statement.predicate).toEqual({
      version: 2,
      approvals,
      governanceReportDigest: { sha256: governanceReportDigest },
    });
    expect((await verify(input(2, { bundle: JSON.stringify(sealed[1]!.bundle) }))).ok).toBe(true);
    const bytes = await verify(input(2, { pack: canonicalPackBytes(pack(2)) }));
    expect(bytes).toMatchObject({ ok: true, pack: pack(2) });
  });

  it('rejects a tampered pack byte (digest)', async () => {
    expect((await failure(input(2, { pack: pack(2, 'You are a careless biology researcher.') }))).check).toBe(
      'digest',
    );
    const bytes = canonicalPackBytes(pack(2));
    bytes[bytes.indexOf('careful')] = 'C'.charCodeAt(0);
    expect(await failure(input(2, { pack: bytes }))).toEqual({
      check: 'digest',
      reason: 'pack digest differs from the sealed subject digest',
    });
    // A pack sealed as v2 but presented as another version or name.
    expect((await failure(input(2, { pack: pack(3) }))).check).toBe('digest');
    expect((await failure(input(2, { expected: { name: 'biology_researcher', version: 3 } }))).check).toBe(
      'digest',
    );
    expect((await failure(input(2, { expected: { name: 'chemistry_researcher' } }))).check).toBe('digest');
  });

  it('rejects a tampered signature or signed payload (signature)', async () => {
    const sig = bundleWith(2, (b) => {
      const bytes = Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64');
      bytes[7]! ^= 0x04;
      b.dsseEnvelope.signatures[0]!.sig = bytes.toString('base64');
    });
    expect((await failure(input(2, { bundle: sig }))).check).toBe('signature');
    // Still canonical JSON, still a valid statement, but no longer what was signed.
    const payload = bundleWith(2, (b) => {
      const text = Buffer.from(b.dsseEnvelope.payload, 'base64')
        .toString()
        .replace('"version":2', '"version":3');
      b.dsseEnvelope.payload = Buffer.from(text).toString('base64');
    });
    expect((await failure(input(2, { bundle: payload }))).check).toBe('signature');
  });

  it('rejects an unknown key or one without the signer role (signer-trust)', async () => {
    const stranger = generateSigningKeyPair();
    const byStranger = sealPack({
      pack: pack(2),
      approvals,
      governanceReportDigest,
      signer: stranger,
      log,
    }).bundle;
    expect(await failure(input(2, { bundle: byStranger }))).toMatchObject({
      check: 'signer-trust',
      reason: expect.stringMatching(/not trusted/),
    });
    const auditorOnly = new Map([[signer.keyId, { publicKey: signer.publicKey, roles: ['auditor'] }]]);
    expect((await failure(input(2, { trustedKeys: auditorOnly }))).reason).toMatch(
      /lacks the pack-signer role/,
    );
    const hint = bundleWith(2, (b) => (b.verificationMaterial.publicKey.hint = stranger.keyId));
    expect((await failure(input(2, { bundle: hint }))).check).toBe('signer-trust');
  });

  it('rejects a revoked key and a revoked version (revocation)', async () => {
    const revoked = (at: number): Map<string, TrustedSigner> =>
      new Map([[signer.keyId, { publicKey: signer.publicKey, roles: ['pack-signer'], revokedAt: at }]]);
    expect((await failure(input(2, { trustedKeys: revoked(Date.UTC(2024, 10, 1)) }))).check).toBe(
      'revocation',
    );
    expect((await verify(input(2, { trustedKeys: revoked(Date.UTC(2025, 0, 1)) }))).ok).toBe(true);
    expect((await failure(input(2, { revokedVersions: new Set(['biology_researcher.v2']) }))).check).toBe(
      'revocation',
    );
    expect(
      (await failure(input(2, { revokedVersions: new Set([`sha256:${sealed[1]!.digest}`]) }))).check,
    ).toBe('revocation');
    expect((await verify(input(2, { revokedVersions: new Set(['biology_researcher.v1']) }))).ok).toBe(true);
  });

  it('rejects a bundle that is not in the trusted log (log-inclusion)', async () => {
    const notLogged = bundleWith(2, (b) => (b.verificationMaterial.tlogEntries = []));
    expect((await failure(input(2, { bundle: notLogged }))).reason).toBe(
      'bundle has no entry in the trusted log',
    );
    const otherLogKey = generateSigningKeyPair();
    const otherLog = new TransparencyLog('log.personae.test', otherLogKey);
    const elsewhere = sealPack({
      pack: pack(2),
      approvals,
      governanceReportDigest,
      signer,
      log: otherLog,
    }).bundle;
    expect((await failure(input(2, { bundle: elsewhere }))).check).toBe('log-inclusion');
    const badPath = bundleWith(2, (b) => {
      const proof = b.verificationMaterial.tlogEntries[0]!.inclusionProof;
      const first = Buffer.from(proof.hashes[0]!, 'base64');
      first[0]! ^= 1;
      proof.hashes[0] = first.toString('base64');
    });
    expect((await failure(input(2, { bundle: badPath }))).reason).toMatch(/does not lead to its root/);
    // A log entry copied from another seal does not describe this signature.
    const swapped = bundleWith(
      2,
      (b) => (b.verificationMaterial.tlogEntries = sealed[0]!.bundle.verificationMaterial.tlogEntries),
    );
    expect((await failure(input(2, { bundle: swapped }))).reason).toMatch(/signature differs/);
    // A self-consistent proof whose checkpoint the log never signed.
    const forger = new TransparencyLog('log.personae.test', {
      keyId: logKey.keyId,
      privateKey: otherLogKey.privateKey,
    });
    const forged = sealPack({ pack: pack(2), approvals, governanceReportDigest, signer, log: forger }).bundle;
    expect((await failure(input(2, { bundle: forged }))).reason).toMatch(/checkpoint: no valid signature/);
  });

  it('accepts a root vouched for by a trusted checkpoint, directly or through a consistency proof', async () => {
    const head = trustedLog.open(log.checkpoint().note);
    const atSeal = sealed[0]!.bundle.verificationMaterial.tlogEntries[0]!.inclusionProof.treeSize;
    const consistencyProof = log.consistencyProof(Number(atSeal), head.treeSize);
    const unsignedCheckpoint = bundleWith(
      1,
      (b) => (b.verificationMaterial.tlogEntries[0]!.inclusionProof.checkpoint.envelope = 'x'),
    );
    expect(
      verifySealedPack(
        input(1, {
          bundle: unsignedCheckpoint,
          transparencyLog: { log: trustedLog, checkpoint: head, consistencyProof },
        }),
      ).ok,
    ).toBe(true);
    const wrong = consistencyProof.map((h) => Buffer.from(h).fill(0));
    expect(
      (
        await failure(
          input(1, { transparencyLog: { log: trustedLog, checkpoint: head, consistencyProof: wrong } }),
        )
      ).reason,
    ).toMatch(/not consistent/);
    const atThree = trustedLog.open(log.checkpoint(3).note);
    expect((await verify(input(3, { transparencyLog: { log: trustedLog, checkpoint: atThree } }))).ok).toBe(
      true,
    );
    const splitView = { ...atThree, rootHash: Buffer.alloc(32) };
    expect(
      (await failure(input(3, { transparencyLog: { log: trustedLog, checkpoint: splitView } }))).reason,
    ).toMatch(/trusted checkpoint/);
  });

  it('refuses a silent downgrade and allows one after an explicit rollback (channel-monotonicity)', async () => {
    expect((await verify(input(3, { channelHistory: prod([1, 2]) }))).ok).toBe(true);
    expect((await verify(input(2, { channelHistory: prod([1, 2]) }))).ok).toBe(true);
    expect(await failure(input(2, { channelHistory: prod([1, 2, 3]) }))).toMatchObject({
      check: 'channel-monotonicity',
      reason: expect.stringMatching(/prod served v3 at 30; v2 needs a rollback record/),
    });
    expect(
      (await verify(input(2, { channelHistory: prod([1, 2, 3], [{ toVersion: 2, at: 35, by: 'ops' }]) }))).ok,
    ).toBe(true);
    // The rollback must be to this version and after v3 was (last) served.
    expect(
      (await failure(input(1, { channelHistory: prod([1, 2, 3], [{ toVersion: 2, at: 35 }]) }))).check,
    ).toBe('channel-monotonicity');
    expect(
      (await failure(input(2, { channelHistory: prod([1, 2, 3, 2, 3], [{ toVersion: 2, at: 35 }]) }))).check,
    ).toBe('channel-monotonicity');
  });

  it('rejects malformed input (format) and reports the first failing check in the defined order', async () => {
    expect((await failure(input(2, { bundle: '{' }))).check).toBe('format');
    expect(
      (await failure(input(2, { bundle: bundleWith(2, (b) => (b.mediaType = 'application/json' as never)) })))
        .check,
    ).toBe('format');
    expect(
      (await failure(input(2, { bundle: bundleWith(2, (b) => (b.dsseEnvelope.payloadType = 'text/plain')) })))
        .check,
    ).toBe('format');
    expect((await failure(input(2, { pack: { metadata: { name: 'x' } } }))).check).toBe('format');
    const unknown = new Map<string, TrustedSigner>();
    // Unknown key and tampered pack and downgrade: signer-trust comes first.
    expect(
      (await failure(input(2, { trustedKeys: unknown, pack: pack(2, 'x'), channelHistory: prod([3]) })))
        .check,
    ).toBe('signer-trust');
    expect((await failure(input(2, { pack: pack(2, 'x'), channelHistory: prod([3]) }))).check).toBe('digest');
    // A bad signature outranks a bad digest, also when the signature settles last (thread pool).
    const badSig = bundleWith(2, (b) => {
      b.dsseEnvelope.signatures[0]!.sig = Buffer.alloc(64, 1).toString('base64');
    });
    expect((await failure(input(2, { bundle: badSig, pack: pack(2, 'x') }))).check).toBe('signature');
  });
});
