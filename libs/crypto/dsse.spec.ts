import { generateSigningKeyPair } from './ed25519-keys';
import { DsseError, pae, parseEnvelope, signEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse';

describe('DSSE v1', () => {
  const alice = generateSigningKeyPair();
  const bob = generateSigningKeyPair();
  const trusted = new Map([
    [alice.keyId, alice.publicKey],
    [bob.keyId, bob.publicKey],
  ]);
  const type = 'application/vnd.in-toto+json';
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

  it('encodes PAE exactly as the spec test vector', () => {
    // protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // LEN counts UTF-8 bytes, not characters.
    expect(pae('tÿpe', Buffer.from('é')).toString()).toBe('DSSEv1 5 tÿpe 2 é');
    expect(pae('', Buffer.alloc(0)).toString()).toBe('DSSEv1 0  0 ');
  });

  it('signs and verifies, reporting which trusted keys verified', () => {
    const envelope = signEnvelope(type, payload, [alice, bob]);
    expect(envelope.payload).toBe(payload.toString('base64'));
    expect(envelope.signatures.map((s) => s.keyid)).toEqual([alice.keyId, bob.keyId]);
    const verified = verifyEnvelope(envelope, trusted);
    expect(verified.verifiedKeyIds).toEqual([alice.keyId, bob.keyId]);
    expect(verified.payload.equals(payload)).toBe(true);
    expect(verifyEnvelope(envelope, new Map([[bob.keyId, bob.publicKey]])).verifiedKeyIds).toEqual([
      bob.keyId,
    ]);
  });

  it('rejects a tampered payload byte, signature, payload type or keyid', () => {
    const envelope = signEnvelope(type, payload, alice);
    const with_ = (patch: Partial<DsseEnvelope>): DsseEnvelope => ({ ...envelope, ...patch });
    const tampered = Buffer.from(payload);
    tampered[5]! ^= 0x20;
    expect(verifyEnvelope(with_({ payload: tampered.toString('base64') }), trusted).verifiedKeyIds).toEqual(
      [],
    );
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    sig[0]! ^= 0x01;
    expect(
      verifyEnvelope(with_({ signatures: [{ keyid: alice.keyId, sig: sig.toString('base64') }] }), trusted)
        .verifiedKeyIds,
    ).toEqual([]);
    expect(verifyEnvelope(with_({ payloadType: 'application/json' }), trusted).verifiedKeyIds).toEqual([]);
    // Claiming bob's key id does not make alice's signature bob's.
    expect(
      verifyEnvelope(with_({ signatures: [{ keyid: bob.keyId, sig: envelope.signatures[0]!.sig }] }), trusted)
        .verifiedKeyIds,
    ).toEqual([]);
    expect(verifyEnvelope(envelope, new Map()).verifiedKeyIds).toEqual([]);
  });

  it('decodes only canonical standard base64', () => {
    const envelope = signEnvelope(type, Buffer.from('??>'), alice);
    expect(envelope.payload).toBe('Pz8+');
    for (const payloadText of ['Pz8-', 'Pz8+\n', 'Pz8', ' Pz8+', 'Pz8+====', 'Pz9=']) {
      expect(() => parseEnvelope({ ...envelope, payload: payloadText })).toThrow(DsseError);
    }
  });

  it('bounds sizes and refuses malformed envelopes', () => {
    const envelope = signEnvelope(type, payload, alice);
    const limits = { maxPayloadBytes: 16, maxSignatures: 1, maxKeyIdLength: 8, maxPayloadTypeLength: 64 };
    expect(() => parseEnvelope(envelope, limits)).toThrow(/exceeds 16 bytes/);
    expect(() =>
      parseEnvelope(signEnvelope(type, payload, [alice, bob]), { ...limits, maxPayloadBytes: 1e6 }),
    ).toThrow(/more than 1 signatures/);
    expect(() => parseEnvelope({ ...envelope, signatures: [] })).toThrow(/non-empty/);
    expect(() => parseEnvelope({ ...envelope, payloadType: 7 })).toThrow(/payloadType/);
    expect(() => parseEnvelope([envelope])).toThrow(/object/);
    expect(() => parseEnvelope({ ...envelope, signatures: [{ keyid: 'x', sig: 12 }] })).toThrow(/sig/);
  });
});
