import { pae } from './dsse';
import { generateSigningKeyPair, verifyBytes } from './ed25519-keys';
import { signJson, signJsonAsync, verifyJson } from './signed-receipt';

describe('signed JSON receipts', () => {
  const key = generateSigningKeyPair();
  const trusted = new Map([[key.keyId, key.publicKey]]);
  const type = 'application/vnd.personae.compliance-receipt+json';
  const receipt = {
    tenant: 't1',
    decision: 'allow',
    checks: [{ name: 'pii', passed: true }],
    at: '2024-11-21T10:00:00Z',
  };

  it('signs PAE(payloadType, canonical JSON) and verifies regardless of key order', () => {
    const signature = signJson(receipt, type, key);
    expect(signature).toMatchObject({ payloadType: type, keyid: key.keyId });
    const canonical = Buffer.from(
      '{"at":"2024-11-21T10:00:00Z","checks":[{"name":"pii","passed":true}],"decision":"allow","tenant":"t1"}',
    );
    expect(verifyBytes(key.publicKey, pae(type, canonical), Buffer.from(signature.sig, 'base64'))).toBe(true);
    const reordered = { at: receipt.at, decision: 'allow', checks: receipt.checks, tenant: 't1' };
    expect(verifyJson(reordered, signature, type, trusted)).toEqual({ ok: true, keyId: key.keyId });
  });

  it('signs the same off the event loop: Ed25519 is deterministic, so the signatures are equal', async () => {
    const signature = await signJsonAsync(receipt, type, key);
    expect(signature).toEqual(signJson(receipt, type, key));
    expect(verifyJson(receipt, signature, type, trusted)).toEqual({ ok: true, keyId: key.keyId });
  });

  it('rejects a changed value, another payload type, an unknown key and junk', () => {
    const signature = signJson(receipt, type, key);
    expect(verifyJson({ ...receipt, decision: 'deny' }, signature, type, trusted)).toMatchObject({
      ok: false,
    });
    expect(
      verifyJson(receipt, { ...signature, payloadType: 'application/json' }, type, trusted),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/payload type/),
    });
    expect(verifyJson(receipt, signature, 'application/json', trusted)).toMatchObject({ ok: false });
    expect(verifyJson(receipt, signature, type, new Map())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not trusted/),
    });
    expect(verifyJson(receipt, { ...signature, sig: 'AAAA' }, type, trusted)).toMatchObject({ ok: false });
    expect(verifyJson(receipt, null, type, trusted)).toMatchObject({
      ok: false,
      reason: 'malformed signature',
    });
  });
});
