import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decryptSecret,
  generateKekConfigItem,
  hashLeaf,
  importPrivateKey,
  importPublicKey,
  keyId as keyIdOf,
  MerkleTree,
  parseKekConfig,
  signingKeyPairFrom,
  verifyConsistency,
  verifyInclusion,
} from '@personae/crypto';
import { packDigest, type PersonaPack } from '@personae/pack';
import {
  createFromTemplate,
  trustRootVerification,
  type ConsistencyProofView,
  type LogCheckpointView,
  type LogEntryView,
  type PublicKeyView,
  type SealResult,
  type TrustRoot,
} from '@personae/sdk';
import type { RunningService } from '@personae/service-kit';
import { verifySealedPack, type VerifySealedPackResult } from '@personae/trust';
import { MerkleLog } from '../../libs/signer/log/merkle-log';
import { Api, bootPlatform, createDatabase, withClient } from './support';

interface ErrorReply {
  statusCode: number;
  message: string;
  errors?: { field: string; reason: string }[];
}

const hex = (): string => randomBytes(4).toString('hex');
const GOVERNANCE = `sha256:${'ab'.repeat(32)}`;
const approvals = [{ by: 'reviewer-ana', role: 'reviewer', at: '2026-11-21T10:00:00Z' }];

/** The signer over real HTTP, in the whole platform, on a database of its own. */
describe('signer service', () => {
  const tenant = `signer-e2e-${hex()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-signer-'));
  const packName = `reviewer-${hex()}`;
  let database: { url: string; drop(): Promise<void> };
  let platform: RunningService;
  let api: Api;
  let admin: string;
  let signer: { token: string; subject: string };
  const sealed = new Map<number, { pack: PersonaPack; result: SealResult }>();
  /** KEY_ENCRYPTION_KEYS once the restart test rotated the KEK (before: the generated development KEK). */
  let kekConfig: Record<string, string> = {};

  const env = (extra: Record<string, string> = {}): Record<string, string | undefined> => ({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    BOOTSTRAP_TENANT: tenant,
    ...extra,
  });
  const sql = <T>(query: string, params: unknown[] = []): Promise<T[]> =>
    withClient(database.url, async (client) => (await client.query(query, params)).rows as T[]);
  const packOf = (version: number, overrides: Partial<PersonaPack['metadata']> = {}): PersonaPack =>
    createFromTemplate('code-reviewer', {
      metadata: { name: packName, displayName: 'Reviewer', version, tenant, ...overrides },
    });
  const seal = (token: string, pack: unknown, extra: Record<string, unknown> = {}) =>
    api.post<SealResult & ErrorReply>('/v1/signer/seal', token, {
      pack,
      approvals,
      governanceReportDigest: GOVERNANCE,
      ...extra,
    });
  const mint = async (role: string): Promise<{ token: string; subject: string }> => {
    const reply = await api.post<{ token: string; key: { id: string } }>('/v1/auth/keys', admin, {
      role,
      label: `${role} e2e`,
    });
    expect(reply.status).toBe(201);
    return { token: reply.body.token, subject: `apikey:${reply.body.key.id}` };
  };
  const trustRoot = async (): Promise<TrustRoot> => {
    // No bearer token: everything a verifier needs is public.
    const reply = await api.get<TrustRoot>(`/v1/signer/trust-root?tenant=${tenant}`);
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const verify = async (version: number): Promise<VerifySealedPackResult> => {
    const { pack, result } = sealed.get(version)!;
    return verifySealedPack({
      bundle: result.bundle,
      pack,
      expected: { name: packName, version },
      ...trustRootVerification(await trustRoot()),
    });
  };
  const checkpoint = async (): Promise<LogCheckpointView> =>
    (await api.get<LogCheckpointView>('/v1/signer/log/checkpoint')).body;
  const leavesOfTenant = async (): Promise<number> =>
    Number(
      (
        await sql<{ n: string }>('SELECT count(*) AS n FROM signer.log_leaves WHERE tenant_id = $1', [tenant])
      )[0]!.n,
    );

  beforeAll(async () => {
    database = await createDatabase('signer_e2e');
    const booted = await bootPlatform(env());
    platform = booted.platform;
    api = new Api(platform.url);
    admin = booted.adminKey!;
    expect(admin).toMatch(/^pk_/);
    signer = await mint('signer');
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the platform log and receipt keys and an empty log to anyone', async () => {
    const keys = await api.get<{ keys: PublicKeyView[] }>(`/v1/signer/keys?tenant=${tenant}`);
    expect(keys.status).toBe(200);
    expect(keys.body.keys.map((k) => [k.purpose, k.status]).sort()).toEqual([
      ['log', 'active'],
      ['receipt', 'active'],
    ]);
    for (const key of keys.body.keys) expect(keyIdOf(importPublicKey(key.publicKeyPem))).toBe(key.keyId);
    // With a bearer token the tenant defaults to the caller's; without either, say what is missing.
    expect((await api.get(`/v1/signer/keys`, signer.token)).body).toEqual(keys.body);
    const anonymous = await api.get<ErrorReply>('/v1/signer/keys');
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors).toEqual([{ field: 'tenant', reason: 'required without a bearer token' }]);
    expect((await api.get('/v1/signer/keys', 'pk_nope_nope')).status).toBe(401);
    expect((await api.get('/v1/signer/keys?tenant=Not_A_Tenant')).status).toBe(400);
    const head = await checkpoint();
    expect(head).toMatchObject({ origin: 'log.personae.dev/v1', treeSize: 0 });
  });

  it('refuses a signer that is not a registered identity, and appends nothing', async () => {
    const before = await checkpoint();
    const reply = await seal(signer.token, packOf(1));
    expect(reply.status).toBe(403);
    expect(reply.body.message).toContain('not a registered trusted signer');
    expect((await checkpoint()).treeSize).toBe(before.treeSize);
    expect(await leavesOfTenant()).toBe(0);
    // Roles still apply first: an admin is not a signer.
    expect((await seal(admin, packOf(1))).status).toBe(403);
    expect((await api.post('/v1/signer/seal', undefined, {})).status).toBe(401);
  });

  it('lets only admins register trusted identities in their own tenant', async () => {
    const body = { subject: signer.subject, displayName: 'Release signer', roles: ['pack-signer'] };
    expect((await api.post('/v1/signer/identities', signer.token, body)).status).toBe(403);
    const bad = await api.post<ErrorReply>('/v1/signer/identities', admin, { ...body, roles: ['root'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('roles');
    const created = await api.post<{ id: string; subject: string; roles: string[] }>(
      '/v1/signer/identities',
      admin,
      body,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subject: signer.subject, roles: ['pack-signer'] });
    expect((await api.post('/v1/signer/identities', admin, body)).status).toBe(409);
    const listed = await api.get<{ identities: { id: string }[] }>('/v1/signer/identities', admin);
    expect(listed.body.identities.map((i) => i.id)).toEqual([created.body.id]);
    expect((await api.call('DELETE', `/v1/signer/identities/${randomUUID()}`, { token: admin })).status).toBe(
      404,
    );
  });

  it('seals a template pack into a bundle that verifies with nothing but the public trust root', async () => {
    const pack = packOf(1);
    const reply = await seal(signer.token, pack);
    expect(reply.status).toBe(201);
    const { bundle, digest, keyId, logIndex } = reply.body;
    expect(digest).toBe(packDigest(pack));
    expect(logIndex).toBe(0);
    expect(bundle).toMatchObject({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: keyId } },
      dsseEnvelope: { payloadType: 'application/vnd.in-toto+json' },
    });
    const statement = JSON.parse(
      Buffer.from(
        (bundle as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload,
        'base64',
      ).toString(),
    ) as Record<string, unknown>;
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: packName, digest: { sha256: digest.slice('sha256:'.length) } }],
      predicateType: 'https://personae.dev/persona-pack/v1',
      predicate: { version: 1, approvals, governanceReportDigest: { sha256: 'ab'.repeat(32) } },
    });
    sealed.set(1, { pack, result: reply.body });
    expect(await verify(1)).toMatchObject({ ok: true, keyId, ref: `${packName}.v1`, logIndex: 0 });

    // Another tenant's trust root does not vouch for this tenant's key.
    const other = await api.get<TrustRoot>(`/v1/signer/trust-root?tenant=other-${hex()}`);
    expect(
      verifySealedPack({
        bundle,
        pack,
        expected: { name: packName },
        ...trustRootVerification(other.body),
      }),
    ).toMatchObject({ ok: false, check: 'signer-trust' });

    // Sealing the same pack again is idempotent; the same version with other content is refused.
    const again = await seal(signer.token, pack);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(reply.body);
    const changed = await seal(signer.token, packOf(1, { displayName: 'Changed' }));
    expect(changed.status).toBe(409);
    expect(changed.body.message).toContain('immutable');
    expect((await checkpoint()).treeSize).toBe(1);
  });

  it('serves inclusion and consistency proofs that check against signed checkpoints', async () => {
    const first = await checkpoint();
    const v2 = packOf(2);
    const reply = await seal(signer.token, v2);
    expect(reply.status).toBe(201);
    sealed.set(2, { pack: v2, result: reply.body });
    const second = await checkpoint();
    expect(second.treeSize).toBe(first.treeSize + 1);

    const root = trustRootVerification(await trustRoot());
    const log = root.transparencyLog.log;
    const entry = await api.get<LogEntryView>(`/v1/signer/log/entries/${reply.body.logIndex}`);
    expect(entry.status).toBe(200);
    const proofHead = log.open(entry.body.inclusionProof.checkpoint.envelope);
    expect(proofHead.treeSize).toBe(second.treeSize);
    expect(
      verifyInclusion(
        hashLeaf(Buffer.from(entry.body.canonicalizedBody, 'base64')),
        Number(entry.body.logIndex),
        proofHead.treeSize,
        entry.body.inclusionProof.hashes.map((h) => Buffer.from(h, 'base64')),
        proofHead.rootHash,
      ),
    ).toBe(true);
    // The entry the bundle carries is the one the log serves.
    expect(entry.body.canonicalizedBody).toBe(
      (reply.body.bundle as { verificationMaterial: { tlogEntries: LogEntryView[] } }).verificationMaterial
        .tlogEntries[0]!.canonicalizedBody,
    );
    // Entry 0 proven against an older tree size, with that size's checkpoint.
    const old = await api.get<LogEntryView>(`/v1/signer/log/entries/0?treeSize=${first.treeSize}`);
    expect(old.body.inclusionProof.treeSize).toBe(String(first.treeSize));

    const consistency = await api.get<ConsistencyProofView>(
      `/v1/signer/log/consistency?from=${first.treeSize}&to=${second.treeSize}`,
    );
    expect(consistency.status).toBe(200);
    const from = log.open(consistency.body.firstCheckpoint!);
    const to = log.open(consistency.body.secondCheckpoint!);
    expect(
      verifyConsistency(
        from.treeSize,
        to.treeSize,
        from.rootHash,
        to.rootHash,
        consistency.body.hashes.map((h) => Buffer.from(h, 'base64')),
      ),
    ).toBe(true);

    expect((await api.get('/v1/signer/log/entries/abc')).status).toBe(400);
    expect((await api.get('/v1/signer/log/entries/999999')).status).toBe(404);
    expect((await api.get('/v1/signer/log/entries/1?treeSize=1')).status).toBe(400);
    expect((await api.get('/v1/signer/log/consistency?from=2&to=1')).status).toBe(400);
    expect((await api.get('/v1/signer/log/consistency?from=1&extra=1')).status).toBe(400);
  });

  it('rejects invalid requests with a reason per field and writes nothing', async () => {
    const size = (await checkpoint()).treeSize;
    const leaves = await leavesOfTenant();
    const problems = async (pack: unknown, extra: Record<string, unknown> = {}) => {
      const reply = await seal(signer.token, pack, extra);
      expect(reply.status).toBe(400);
      return reply.body.errors ?? [];
    };
    const offSchema = structuredClone(packOf(5)) as unknown as {
      spec: { personality: { openness: number } };
    };
    offSchema.spec.personality.openness = 3;
    expect(await problems(offSchema)).toEqual([
      expect.objectContaining({ field: '/pack/spec/personality/openness' }),
    ]);
    const { version: _version, ...noVersion } = packOf(5).metadata;
    expect(await problems({ ...packOf(5), metadata: noVersion })).toEqual([
      expect.objectContaining({ field: '/pack/metadata/version' }),
    ]);
    expect(await problems(packOf(5, { tenant: 'someone-else' }))).toEqual([
      expect.objectContaining({ field: '/pack/metadata/tenant' }),
    ]);
    const notNormalized = structuredClone(packOf(5)) as unknown as { metadata: Record<string, unknown> };
    delete notNormalized.metadata.category;
    expect(await problems(notNormalized)).toEqual([
      expect.objectContaining({
        field: '/pack/metadata/category',
        reason: expect.stringContaining('normalized'),
      }),
    ]);
    expect(await problems(packOf(5), { approvals: [] })).toEqual([
      expect.objectContaining({ field: 'approvals' }),
    ]);
    expect(await problems(packOf(5), { governanceReportDigest: 'md5:abc' })).toEqual([
      expect.objectContaining({ field: 'governanceReportDigest' }),
    ]);
    expect(await problems(packOf(5), { surprise: true })).toEqual([
      { field: 'surprise', reason: 'unknown field' },
    ]);
    expect(
      await problems(packOf(5), { approvals: [{ by: 'x', role: 'reviewer', at: 'yesterday' }] }),
    ).toEqual([expect.objectContaining({ field: 'approvals[0].at' })]);
    expect((await checkpoint()).treeSize).toBe(size);
    expect(await leavesOfTenant()).toBe(leaves);
  });

  it('rotates the tenant key: new seals use the new key, earlier bundles still verify', async () => {
    const oldKey = sealed.get(1)!.result.keyId;
    expect((await api.post('/v1/signer/keys/rotate', signer.token, {})).status).toBe(403);
    const rotated = await api.post<PublicKeyView>('/v1/signer/keys/rotate', admin, { reason: 'e2e' });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ purpose: 'pack-signer', status: 'active' });
    expect(rotated.body.keyId).not.toBe(oldKey);
    const keys = (await api.get<{ keys: PublicKeyView[] }>(`/v1/signer/keys?tenant=${tenant}`)).body.keys;
    expect(keys.find((k) => k.keyId === oldKey)?.status).toBe('retired');

    const v3 = packOf(3);
    const reply = await seal(signer.token, v3);
    expect(reply.status).toBe(201);
    expect(reply.body.keyId).toBe(rotated.body.keyId);
    sealed.set(3, { pack: v3, result: reply.body });
    expect(await verify(3)).toMatchObject({ ok: true, keyId: rotated.body.keyId });
    expect(await verify(1)).toMatchObject({ ok: true, keyId: oldKey });
  });

  it('revokes a key: its bundles are refused, and the version can be re-sealed with a live key', async () => {
    const oldKey = sealed.get(1)!.result.keyId;
    expect((await api.post(`/v1/signer/keys/${'0'.repeat(64)}/revoke`, admin, { reason: 'x' })).status).toBe(
      404,
    );
    expect((await api.post('/v1/signer/keys/not-a-key/revoke', admin, { reason: 'x' })).status).toBe(400);
    expect((await api.post(`/v1/signer/keys/${oldKey}/revoke`, admin, {})).status).toBe(400);
    const revoked = await api.post<PublicKeyView>(`/v1/signer/keys/${oldKey}/revoke`, admin, {
      reason: 'exposed in a CI log',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId: oldKey, status: 'revoked', revokedAt: expect.any(String) });

    const refused = await verify(1);
    expect(refused).toMatchObject({ ok: false, check: 'revocation' });
    expect(await verify(3)).toMatchObject({ ok: true });

    const resealed = await seal(signer.token, sealed.get(1)!.pack);
    expect(resealed.status).toBe(201);
    expect(resealed.body.keyId).not.toBe(oldKey);
    sealed.set(1, { pack: sealed.get(1)!.pack, result: resealed.body });
    expect(await verify(1)).toMatchObject({ ok: true });
  });

  it('revokes sealed versions per tenant, listed publicly for verifiers', async () => {
    const v2 = sealed.get(2)!;
    const body = { packName, version: 2, digest: v2.result.digest, reason: 'leaks an internal prompt' };
    const revoker = await mint('signer');
    // A signer key that is not a trusted identity cannot revoke either.
    expect((await api.post('/v1/signer/revocations', revoker.token, body)).status).toBe(403);
    const wrong = await api.post('/v1/signer/revocations', signer.token, { ...body, digest: GOVERNANCE });
    expect(wrong.status).toBe(404);
    const created = await api.post('/v1/signer/revocations', signer.token, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ packName, version: 2, digest: v2.result.digest });
    expect(
      (await api.post('/v1/signer/revocations', signer.token, { ...body, reason: 'again' })).status,
    ).toBe(200);

    const listed = await api.get<{ revocations: { version: number }[] }>(
      `/v1/signer/revocations?tenant=${tenant}`,
    );
    expect(listed.body.revocations.map((r) => r.version)).toEqual([2]);
    const elsewhere = await api.get<{ revocations: unknown[] }>(
      `/v1/signer/revocations?tenant=other-${hex()}`,
    );
    expect(elsewhere.body.revocations).toEqual([]);
    expect(await verify(2)).toMatchObject({ ok: false, check: 'revocation' });
    const reseal = await seal(signer.token, v2.pack);
    expect(reseal.status).toBe(409);
    expect(reseal.body.message).toContain('revoked');
  });

  it('never returns private keys, and stores them only encrypted under the KEK', async () => {
    for (const text of api.seen) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain('MC4CAQAwBQYDK2Vw'); // base64 of an Ed25519 PKCS#8 header
    }
    const rows = await sql<Record<string, unknown>>('SELECT * FROM signer.signing_keys');
    expect(rows.map((row) => row.purpose).sort()).toEqual(['log', 'pack-signer', 'pack-signer', 'receipt']);
    const pkcs8Header = Buffer.from('302e020100300506032b657004220420', 'hex');
    const ring = parseKekConfig(readFileSync(join(dataDir, 'keys', 'key-encryption-keys'), 'utf8').trim());
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
      const blob = row.encrypted_private_key as Buffer | null;
      if (row.status === 'revoked') {
        expect(blob).toBeNull(); // erased on revocation
        continue;
      }
      expect(blob!.includes(pkcs8Header)).toBe(false);
      // It is the real key, envelope-encrypted under the configured KEK and bound to its key id.
      const der = decryptSecret(ring, blob!, {
        context: `personae:signer:private-key:${String(row.key_id)}`,
      });
      expect(signingKeyPairFrom(importPrivateKey(der)).keyId).toBe(row.key_id);
    }
  });

  it('keeps keys and the log across a restart, and re-wraps keys under a rotated KEK', async () => {
    const keysBefore = (await api.get<{ keys: PublicKeyView[] }>(`/v1/signer/keys?tenant=${tenant}`)).body
      .keys;
    const headBefore = await checkpoint();
    await platform.stop();

    const oldKek = readFileSync(join(dataDir, 'keys', 'key-encryption-keys'), 'utf8').trim();
    kekConfig = { KEY_ENCRYPTION_KEYS: `${generateKekConfigItem('k2')},${oldKek}` };
    const booted = await bootPlatform(env(kekConfig));
    platform = booted.platform;
    api.baseUrl = platform.url;
    expect(booted.adminKey).toBeUndefined(); // minted once, on the first start only

    const keysAfter = (await api.get<{ keys: PublicKeyView[] }>(`/v1/signer/keys?tenant=${tenant}`)).body
      .keys;
    expect(keysAfter).toEqual(keysBefore);
    expect(await checkpoint()).toEqual(headBefore);
    const live = await sql<{ kek_id: string }>(
      `SELECT kek_id FROM signer.signing_keys WHERE status <> 'revoked'`,
    );
    expect(live.every((row) => row.kek_id === 'k2')).toBe(true);

    const v4 = packOf(4);
    const reply = await seal(signer.token, v4);
    expect(reply.status).toBe(201);
    expect(reply.body.logIndex).toBe(headBefore.treeSize);
    expect(reply.body.keyId).toBe(
      keysBefore.find((k) => k.purpose === 'pack-signer' && k.status === 'active')!.keyId,
    );
    sealed.set(4, { pack: v4, result: reply.body });
    expect(await verify(4)).toMatchObject({ ok: true });
    expect(await verify(3)).toMatchObject({ ok: true });

    const consistency = await api.get<ConsistencyProofView>(
      `/v1/signer/log/consistency?from=${headBefore.treeSize}`,
    );
    const { log } = trustRootVerification(await trustRoot()).transparencyLog;
    const to = log.open(consistency.body.secondCheckpoint!);
    expect(to.treeSize).toBe(headBefore.treeSize + 1);
    expect(
      verifyConsistency(
        headBefore.treeSize,
        to.treeSize,
        Buffer.from(headBefore.rootHash, 'base64'),
        to.rootHash,
        consistency.body.hashes.map((h) => Buffer.from(h, 'base64')),
      ),
    ).toBe(true);
  }, 60_000);

  it('lets two processes seal at once without forking the log', async () => {
    const second = (await bootPlatform(env(kekConfig))).platform;
    try {
      const apis = [api, new Api(second.url)];
      const before = (await checkpoint()).treeSize;
      const versions = Array.from({ length: 12 }, (_, i) => 10 + i);
      const replies = await Promise.all(
        versions.map((version, i) =>
          apis[i % 2]!.post<SealResult>('/v1/signer/seal', signer.token, {
            pack: packOf(version),
            approvals,
            governanceReportDigest: GOVERNANCE,
          }),
        ),
      );
      expect(replies.map((reply) => reply.status)).toEqual(versions.map(() => 201));
      expect(replies.map((reply) => reply.body.logIndex).sort((a, b) => a - b)).toEqual(
        versions.map((_, i) => before + i),
      );
      for (const [i, reply] of replies.entries())
        sealed.set(versions[i]!, { pack: packOf(versions[i]!), result: reply.body });
      for (const version of versions) expect(await verify(version)).toMatchObject({ ok: true });

      // Both processes serve the same head, and it is the root of the dense, stored leaves.
      const heads = await Promise.all(apis.map((a) => a.get<LogCheckpointView>('/v1/signer/log/checkpoint')));
      expect(heads[1]!.body).toEqual(heads[0]!.body);
      expect(heads[0]!.body.treeSize).toBe(before + versions.length);
      const leaves = await sql<{ log_index: string; leaf_hash: Buffer }>(
        'SELECT log_index, leaf_hash FROM signer.log_leaves ORDER BY log_index',
      );
      expect(leaves.map((leaf) => Number(leaf.log_index))).toEqual([...leaves.keys()]);
      expect(
        MerkleTree.fromLeafHashes(leaves.map((leaf) => leaf.leaf_hash))
          .root()
          .toString('base64'),
      ).toBe(heads[0]!.body.rootHash);
      // A process proves entries the other one appended.
      const first = replies[0]!.body.logIndex;
      const proof = await apis[1]!.get<LogEntryView>(`/v1/signer/log/entries/${first}`);
      expect(proof.status).toBe(200);
      expect(proof.body.inclusionProof.treeSize).toBe(String(before + versions.length));
      // And the database itself refuses to rewrite the log's past.
      await expect(sql('UPDATE signer.log_leaves SET sealed_by = $1', ['mallory'])).rejects.toThrow(
        'append-only',
      );
      await expect(sql('DELETE FROM signer.checkpoints')).rejects.toThrow('append-only');
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('leaves no trace of a write that failed after its append, and the next seal takes its index', async () => {
    const head = await checkpoint();
    const keyId = sealed.get(4)!.result.keyId;
    const failed = platform.app.get(MerkleLog).write(async (writer) => {
      await writer.append(Buffer.from('{"not":"a seal"}'), {
        envelope: '{}',
        keyId,
        tenantId: tenant,
        packName,
        packVersion: 99,
        packDigest: GOVERNANCE,
        sealedBy: 'test',
      });
      throw new Error('crash after the append');
    });
    await expect(failed).rejects.toThrow('crash after the append');
    expect(await checkpoint()).toEqual(head);

    const reply = await seal(signer.token, packOf(25));
    expect(reply.status).toBe(201);
    expect(reply.body.logIndex).toBe(head.treeSize);
    sealed.set(25, { pack: packOf(25), result: reply.body });
    expect(await verify(25)).toMatchObject({ ok: true });
  });

  it('fails closed with 503 when the KEK that wraps the keys is not configured', async () => {
    await platform.stop();
    const head = (await sql<{ n: string }>('SELECT count(*) AS n FROM signer.log_leaves'))[0]!.n;
    platform = (await bootPlatform(env({ KEY_ENCRYPTION_KEYS: generateKekConfigItem('k9') }))).platform;
    api.baseUrl = platform.url;
    // Verification material stays available: it needs no private key.
    expect((await api.get(`/v1/signer/trust-root?tenant=${tenant}`)).status).toBe(200);
    const reply = await seal(signer.token, packOf(30));
    expect(reply.status).toBe(503);
    expect(reply.body.message).toContain('key-encryption key "k2"');
    expect((await sql<{ n: string }>('SELECT count(*) AS n FROM signer.log_leaves'))[0]!.n).toBe(head);
    const keys = await sql<{ kek_id: string | null }>('SELECT kek_id FROM signer.signing_keys');
    expect(keys.every((key) => key.kek_id !== 'k9')).toBe(true); // no key replaced, none re-wrapped
  }, 60_000);
});
