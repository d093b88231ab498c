import { createHash } from 'node:crypto';
import { parseEnvelope, signEnvelope } from './dsse';
import { exportPublicKeyPem, generateSigningKeyPair } from './ed25519-keys';
import {
  buildBundle,
  BundleError,
  checkDsseLogBody,
  dsseLogBody,
  parseBundle,
  SIGSTORE_BUNDLE_V03,
  type SigstoreBundle,
} from './sigstore-bundle';
import { TransparencyLog } from './transparency-log';

describe('Sigstore bundle v0.3', () => {
  const signer = generateSigningKeyPair();
  const logKey = generateSigningKeyPair();
  const log = new TransparencyLog('log.test', logKey, undefined, () => 1_732_190_000_999);
  log.append(Buffer.from('earlier entry'));
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  const envelope = signEnvelope('application/vnd.in-toto+json', payload, signer);
  const body = dsseLogBody(envelope, exportPublicKeyPem(signer.publicKey));
  const entry = log.append(body);
  const bundle = buildBundle({ envelope, keyId: signer.keyId, logKeyId: logKey.keyId, body, entry });
  const clone = (): SigstoreBundle => JSON.parse(JSON.stringify(bundle)) as SigstoreBundle;

  it('uses the protobuf JSON shape: lowerCamel names, int64 strings, base64 bytes', () => {
    expect(Object.keys(bundle)).toEqual(['mediaType', 'verificationMaterial', 'dsseEnvelope']);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial.publicKey).toEqual({ hint: signer.keyId });
    const [tlog] = bundle.verificationMaterial.tlogEntries;
    expect(tlog).toMatchObject({
      logIndex: '1',
      logId: { keyId: Buffer.from(logKey.keyId, 'hex').toString('base64') },
      kindVersion: { kind: 'dsse', version: '0.0.1' },
      integratedTime: '1732190000',
      inclusionProof: { logIndex: '1', treeSize: '2', checkpoint: { envelope: entry.checkpoint } },
    });
    expect(tlog!.inclusionProof.hashes).toHaveLength(1);
    expect(Buffer.from(tlog!.canonicalizedBody, 'base64').equals(body)).toBe(true);
    expect(bundle.dsseEnvelope).toEqual({
      payloadType: 'application/vnd.in-toto+json',
      payload: payload.toString('base64'),
      signatures: [{ keyid: signer.keyId, sig: envelope.signatures[0]!.sig }],
    });
  });

  it('logs a Rekor dsse v0.0.1 body binding the payload hash and the signature', () => {
    const parsed = JSON.parse(body.toString()) as {
      spec: { payloadHash: { value: string }; signatures: unknown[] };
    };
    expect(parsed).toMatchObject({ apiVersion: '0.0.1', kind: 'dsse' });
    expect(parsed.spec.payloadHash.value).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(parsed.spec.signatures).toEqual([
      {
        signature: envelope.signatures[0]!.sig,
        verifier: Buffer.from(exportPublicKeyPem(signer.publicKey)).toString('base64'),
      },
    ]);
    expect(checkDsseLogBody(body, parseEnvelope(envelope))).toBeUndefined();
    const other = signEnvelope('application/vnd.in-toto+json', Buffer.from('{}'), signer);
    expect(checkDsseLogBody(body, parseEnvelope(other))).toMatch(/signature differs/);
  });

  it('parses its own bundles and decodes every field', () => {
    const parsed = parseBundle(clone());
    expect(parsed.keyHint).toBe(signer.keyId);
    expect(parsed.envelope.payload.equals(payload)).toBe(true);
    expect(parsed.tlogEntries[0]).toMatchObject({ logIndex: 1, integratedTime: 1732190000, kind: 'dsse' });
    expect(parsed.tlogEntries[0]!.proof.rootHash.equals(entry.rootHash)).toBe(true);
    expect(parsed.tlogEntries[0]!.body.equals(body)).toBe(true);
  });

  it('refuses other media types, extra signatures, missing proofs and sloppy encodings', () => {
    type Entry = SigstoreBundle['verificationMaterial']['tlogEntries'][number];
    const entryOf = (b: SigstoreBundle): Entry => b.verificationMaterial.tlogEntries[0]!;
    const cases: Array<[(b: SigstoreBundle) => unknown, RegExp]> = [
      [(b) => ({ ...b, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' }), /mediaType/],
      [(b) => ({ ...b, verificationMaterial: { ...b.verificationMaterial, publicKey: {} } }), /hint/],
      [
        (b) => {
          b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]!);
          return b;
        },
        /exactly one/,
      ],
      [
        (b) => {
          delete (entryOf(b) as Partial<Entry>).inclusionProof;
          return b;
        },
        /inclusionProof/,
      ],
      [
        (b) => {
          entryOf(b).logIndex = '01';
          return b;
        },
        /logIndex/,
      ],
      [
        (b) => {
          entryOf(b).inclusionProof.rootHash += '\n';
          return b;
        },
        /rootHash/,
      ],
      [(b) => ({ ...b, dsseEnvelope: undefined }), /envelope must be an object/],
      [() => 'bundle', /object/],
    ];
    for (const [mutate, message] of cases) expect(() => parseBundle(mutate(clone()))).toThrow(message);
    expect(() => parseBundle({ ...clone(), mediaType: SIGSTORE_BUNDLE_V03.toUpperCase() })).toThrow(
      BundleError,
    );
  });
});
