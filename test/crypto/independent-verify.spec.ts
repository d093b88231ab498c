/**
 * Verifies a sealed persona-pack bundle with nothing but node:crypto and the published specs,
 * transcribed here rather than imported, so a bug shared by our signer and our verifier cannot
 * hide: DSSE protocol.md (PAE), in-toto Statement v1, RFC 8785 (a minimal canonicalizer of our
 * own), RFC 9162 inclusion (the inner/border decomposition sigstore-js uses, not our loop) and
 * the C2SP signed note with Rekor's key hint. libs/ is imported only to produce the bundle.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { exportPublicKeyPem, generateSigningKeyPair, TransparencyLog } from '@personae/crypto';
import { sealPack } from '@personae/trust';

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 8785 for the JSON our packs contain: sorted keys (UTF-16 order), ES number form, no spaces. */
function jcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** DSSE protocol.md: PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

/** RFC 9162 inclusion, computed as sigstore-js does: inner proof up to the split, then the right border. */
function inclusionRoot(leaf: Buffer, index: number, size: number, hashes: Buffer[]): Buffer {
  const node = (l: Buffer, r: Buffer): Buffer => sha256(Buffer.from([1]), l, r);
  const inner = (index ^ (size - 1)).toString(2).replace(/^0+/, '').length;
  const border = (index >> inner).toString(2).split('1').length - 1;
  expect(hashes).toHaveLength(inner + border);
  let h = sha256(Buffer.from([0]), leaf);
  hashes.slice(0, inner).forEach((p, i) => (h = (index >> i) & 1 ? node(p, h) : node(h, p)));
  for (const p of hashes.slice(inner)) h = node(p, h);
  return h;
}

describe('independent verification of a sealed bundle (node:crypto + specs only)', () => {
  const signer = generateSigningKeyPair();
  const logSigner = generateSigningKeyPair();
  const log = new TransparencyLog('log.personae.test', logSigner);
  const pack = {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: {
      name: 'biology_researcher',
      version: 4,
      displayName: 'Biologist \u00e9\u20ac',
      tags: ['lab'],
    },
    spec: {
      personality: { openness: 0.85, formality: 1e-7 },
      prompt: { system: 'Cite sources.\n"Always".' },
    },
  };
  for (let i = 0; i < 5; i++) log.append(Buffer.from(`other entry ${i}`));
  const bundle = JSON.parse(
    JSON.stringify(
      sealPack({ pack, approvals: [], governanceReportDigest: 'a'.repeat(64), signer, log }).bundle,
    ),
  ) as {
    mediaType: string;
    verificationMaterial: {
      publicKey: { hint: string };
      tlogEntries: Array<{
        logIndex: string;
        logId: { keyId: string };
        canonicalizedBody: string;
        inclusionProof: {
          logIndex: string;
          rootHash: string;
          treeSize: string;
          hashes: string[];
          checkpoint: { envelope: string };
        };
      }>;
    };
    dsseEnvelope: { payloadType: string; payload: string; signatures: Array<{ keyid: string; sig: string }> };
  };
  // What a verifier receives out of band: the published public keys.
  const publisherPem = exportPublicKeyPem(signer.publicKey);
  const logPem = exportPublicKeyPem(logSigner.publicKey);

  it('verifies the DSSE signature over PAE with the published Ed25519 key', () => {
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    const env = bundle.dsseEnvelope;
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    expect(env.signatures).toHaveLength(1);
    const key = createPublicKey(publisherPem);
    const der = key.export({ type: 'spki', format: 'der' });
    expect(bundle.verificationMaterial.publicKey.hint).toBe(sha256(der).toString('hex'));
    const payload = Buffer.from(env.payload, 'base64');
    const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
    expect(verify(null, pae(env.payloadType, payload), key, sig)).toBe(true);
    payload[payload.length - 3]! ^= 1;
    expect(verify(null, pae(env.payloadType, payload), key, sig)).toBe(false);
  });

  it('recomputes the subject digest from the pack with an independent RFC 8785 canonicalizer', () => {
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      _type: string;
      subject: Array<{ name: string; digest: { sha256: string } }>;
      predicateType: string;
      predicate: { version: number };
    };
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://personae.dev/persona-pack/v1');
    expect(statement.predicate.version).toBe(4);
    expect(statement.subject).toEqual([
      {
        name: 'biology_researcher',
        digest: { sha256: sha256(Buffer.from(jcs(pack), 'utf8')).toString('hex') },
      },
    ]);
    expect(jcs(statement)).toBe(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
  });

  it('checks the log entry, its RFC 9162 inclusion proof and the signed checkpoint', () => {
    const [entry] = bundle.verificationMaterial.tlogEntries;
    const logKey = createPublicKey(logPem);
    const logId = sha256(logKey.export({ type: 'spki', format: 'der' }));
    expect(Buffer.from(entry!.logId.keyId, 'base64').equals(logId)).toBe(true);

    // The leaf is a Rekor dsse v0.0.1 body naming this envelope's payload hash and signature.
    const leaf = Buffer.from(entry!.canonicalizedBody, 'base64');
    const body = JSON.parse(leaf.toString()) as {
      kind: string;
      spec: { payloadHash: { value: string }; signatures: Array<{ signature: string }> };
    };
    expect(body.kind).toBe('dsse');
    expect(body.spec.payloadHash.value).toBe(
      sha256(Buffer.from(bundle.dsseEnvelope.payload, 'base64')).toString('hex'),
    );
    expect(body.spec.signatures.map((s) => s.signature)).toEqual([bundle.dsseEnvelope.signatures[0]!.sig]);

    const proof = entry!.inclusionProof;
    const root = inclusionRoot(
      leaf,
      Number(proof.logIndex),
      Number(proof.treeSize),
      proof.hashes.map((h) => Buffer.from(h, 'base64')),
    );
    expect(root.toString('base64')).toBe(proof.rootHash);

    // C2SP signed note: body, blank line, "— <name> base64(keyhint[4] ‖ sig)".
    const note = proof.checkpoint.envelope;
    const split = note.indexOf('\n\n');
    const noteBody = note.slice(0, split + 1);
    expect(noteBody.split('\n').slice(0, 3)).toEqual(['log.personae.test', proof.treeSize, proof.rootHash]);
    const [, blob] = /^\u2014 \S+ (\S+)\n$/.exec(note.slice(split + 2))!;
    const sig = Buffer.from(blob!, 'base64');
    expect(sig.subarray(0, 4).equals(logId.subarray(0, 4))).toBe(true);
    expect(verify(null, Buffer.from(noteBody), logKey, sig.subarray(4))).toBe(true);
  });
});
