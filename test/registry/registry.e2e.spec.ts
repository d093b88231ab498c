import { generateSigningKeyPair } from '@personae/crypto';
import { PersonaeApiError, trustRootVerification, type ResolvedRef, type TrustRoot } from '@personae/sdk';
import { verifySealedPack, type VerifySealedPackResult } from '@personae/trust';
import {
  bootPlatform,
  eventually,
  lifecycleEvents,
  mintKey,
  personToken,
  registryAs,
  signerAs,
  testPack,
  uniqueTenant,
  type Credential,
  type Platform,
} from './support';

/**
 * The done-when: a persona goes from draft through review (two approvers), seal, promote to dev
 * then prod, a second version, a rollback of prod; the runtime verification library accepts the right
 * versions and refuses a tampered byte, an unknown key, a revoked key and a silent downgrade.
 */
describe('registry lifecycle over real HTTP, verified like the runtime does', () => {
  const tenant = uniqueTenant('registry-e2e');
  const name = 'biology_researcher';
  const sessionId = '01890a5d-ac96-774b-bcce-b302099a8057';
  let platform: Platform;
  let alice: Credential; // trainer and author
  let aliceAsReviewer: Credential; // the same person with a reviewer credential
  let bobAsReviewer: Credential; // trained the session the draft came from
  let reviewers: Credential[];
  let signer: Credential;
  let runtime: Credential; // what the runtime orchestrator holds
  const sealed: Record<number, string> = {}; // version → draft id
  let prodWhileV2: ResolvedRef;

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    alice = personToken(platform, 'alice', 'trainer');
    aliceAsReviewer = personToken(platform, 'alice', 'reviewer');
    bobAsReviewer = personToken(platform, 'bob', 'reviewer');
    reviewers = [
      await mintKey(platform, 'reviewer', 'reviewer one'),
      await mintKey(platform, 'reviewer', 'reviewer two'),
    ];
    signer = await mintKey(platform, 'signer', 'release signer');
    runtime = await mintKey(platform, 'orchestrator', 'runtime');
    // The signer role on a key is not enough: the tenant's admin registers it as a trusted signer.
    await signerAs(platform, platform.admin).registerIdentity({
      subject: signer.subject,
      displayName: 'Release signer',
      roles: ['pack-signer'],
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const as = (credential: Credential) => registryAs(platform, credential);
  const refusal = async (promise: Promise<unknown>): Promise<{ status: number; message: string }> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof PersonaeApiError)) throw new Error(`expected an API error, got ${String(error)}`);
    return { status: error.status, message: error.body.message ?? '' };
  };

  /** Draft → review by two approvers → seal; returns the version. */
  async function releaseVersion(system: string): Promise<number> {
    const draft = await as(alice).createDraft(testPack(name, { system }), { sessionId, trainerIds: ['bob'] });
    expect(draft).toMatchObject({ state: 'draft', authorId: 'alice', requiredApprovals: 2 });
    expect((await as(alice).submit(draft.id)).state).toBe('in_review');
    const first = await as(reviewers[0]!).approve(draft.id, 'reads well');
    expect(first).toMatchObject({ state: 'in_review', approvals: [{ reviewerId: reviewers[0]!.subject }] });
    expect((await as(reviewers[1]!).approve(draft.id, 'safety boundaries ok')).state).toBe('approved');
    const version = await as(signer).seal(draft.id);
    sealed[version.version] = draft.id;
    return version.version;
  }

  it('reviews with four eyes: the author and the trainer may not approve, and nothing seals early', async () => {
    const draft = await as(alice).createDraft(testPack(name), { sessionId, trainerIds: ['bob'] });
    await as(alice).submit(draft.id);
    expect(await refusal(as(aliceAsReviewer).approve(draft.id))).toEqual({
      status: 403,
      message: 'the author of a draft cannot review it',
    });
    expect(await refusal(as(bobAsReviewer).approve(draft.id))).toMatchObject({
      status: 403,
      message: /trainer/,
    });
    await as(reviewers[0]!).approve(draft.id);
    expect(await refusal(as(reviewers[0]!).approve(draft.id))).toMatchObject({
      status: 409,
      message: /already approved/,
    });
    expect(await refusal(as(signer).seal(draft.id))).toMatchObject({
      status: 409,
      message: /only an approved draft/,
    });
    const readBack = await as(alice).getDraft(draft.id);
    expect(readBack).toMatchObject({
      state: 'in_review',
      approvals: [{ reviewerId: reviewers[0]!.subject }],
    });
    expect(readBack.reviews).toHaveLength(1);
    await as(alice).deleteDraft(draft.id);
  });

  it('seals v1 with two approvals, signed over the exact stored bytes', async () => {
    expect(await releaseVersion('You are a careful biology researcher. Cite your sources.')).toBe(1);
    const v1 = await as(runtime).getVersion(name, 1);
    expect(v1).toMatchObject({ ref: `${name}.v1`, state: 'sealed', sealedBy: signer.subject });
    expect(v1.pack).toMatchObject({ metadata: { name, version: 1, tenant, createdBy: 'alice' } });
    expect(v1.approvals.map((a) => a.by).sort()).toEqual(reviewers.map((r) => r.subject).sort());
    expect(JSON.parse(v1.canonical)).toEqual(v1.pack);
  });

  it('promotes v1 to dev, then prod', async () => {
    expect(await as(signer).promote(name, 'dev', 1, 'first cut')).toMatchObject({
      channel: 'dev',
      version: 1,
    });
    expect(await as(signer).promote(name, 'prod', 1, 'dev soak passed')).toMatchObject({
      channel: 'prod',
      version: 1,
    });
  });

  it('seals a second version, promotes it, then rolls prod back with the reason on record', async () => {
    expect(await releaseVersion('You are a careful biology researcher. Cite sources; flag preprints.')).toBe(
      2,
    );
    await as(signer).promote(name, 'dev', 2, 'preprint flagging');
    await as(signer).promote(name, 'prod', 2, 'dev soak passed');
    prodWhileV2 = await as(runtime).resolve(`${name}@prod`);
    expect(prodWhileV2.version).toBe(2);

    expect(await refusal(as(signer).promote(name, 'prod', 1, 'sneaky'))).toMatchObject({
      status: 409,
      message: /roll back instead/,
    });
    const prod = await as(signer).rollback(name, 'prod', 1, 'v2 flags every paper as a preprint');
    expect(prod).toMatchObject({ channel: 'prod', version: 1 });
    expect(prod.history.map((m) => [m.action, m.version, m.by])).toEqual([
      ['promote', 1, signer.subject],
      ['promote', 2, signer.subject],
      ['rollback', 1, signer.subject],
    ]);
    expect(prod.history[2]).toMatchObject({
      previousVersion: 2,
      reason: 'v2 flags every paper as a preprint',
    });
  });

  describe('the runtime verification library', () => {
    let root: TrustRoot;
    const verify = (resolved: ResolvedRef, patch: Partial<Parameters<typeof verifySealedPack>[0]> = {}) =>
      verifySealedPack({
        bundle: resolved.bundle,
        pack: Buffer.from(resolved.canonical, 'utf8'),
        expected: { name, version: resolved.version },
        ...trustRootVerification(root),
        ...(resolved.channelHistory ? { channelHistory: resolved.channelHistory } : {}),
        ...patch,
      });
    const failedCheck = (result: VerifySealedPackResult) => (result.ok ? 'accepted' : result.check);

    beforeAll(async () => {
      root = await signerAs(platform, runtime).trustRoot();
    });

    it('accepts the right versions: prod (rolled back, on record), dev, and each name.vN', async () => {
      const prod = await as(runtime).resolve(`${name}@prod`);
      expect(prod).toMatchObject({ version: 1, channel: 'prod', state: 'sealed' });
      expect(prod.channelHistory?.rollbacks).toEqual([
        expect.objectContaining({ toVersion: 1, by: signer.subject }),
      ]);
      expect(verify(prod)).toMatchObject({ ok: true, ref: `${name}.v1` });
      expect(verify(await as(runtime).resolve(`${name}@dev`))).toMatchObject({ ok: true, ref: `${name}.v2` });
      expect(verify(await as(runtime).resolve(`${name}.v2`))).toMatchObject({ ok: true });
      expect(verify(prodWhileV2)).toMatchObject({ ok: true, ref: `${name}.v2` });
    });

    it('rejects a tampered byte', async () => {
      const prod = await as(runtime).resolve(`${name}@prod`);
      const bytes = Buffer.from(prod.canonical, 'utf8');
      const at = prod.canonical.indexOf('careful');
      bytes[at] = bytes[at]! ^ 0x20; // "careful" → "Careful": one byte
      expect(failedCheck(verify(prod, { pack: bytes }))).toBe('digest');
    });

    it('rejects an unknown key', async () => {
      const stranger = generateSigningKeyPair();
      const trustedKeys = new Map([
        [stranger.keyId, { publicKey: stranger.publicKey, roles: ['pack-signer'] }],
      ]);
      expect(failedCheck(verify(await as(runtime).resolve(`${name}.v1`), { trustedKeys }))).toBe(
        'signer-trust',
      );
    });

    it('rejects a silent downgrade: prod serving v1 without the rollback record', async () => {
      const prod = await as(runtime).resolve(`${name}@prod`);
      // What the runtime saw while prod served v2; a v1 now with no rollback after it is a downgrade.
      expect(failedCheck(verify(prod, { channelHistory: prodWhileV2.channelHistory! }))).toBe(
        'channel-monotonicity',
      );
      const stripped = { ...prod.channelHistory!, rollbacks: [] };
      expect(failedCheck(verify(prod, { channelHistory: stripped }))).toBe('channel-monotonicity');
    });

    it('rejects a revoked version: 410 from resolve, and the old bundle fails offline', async () => {
      const v2 = await as(runtime).resolve(`${name}.v2`);
      await as(signer).revoke(name, 2, 'hallucinated citations');
      const gone = await refusal(as(runtime).resolve(`${name}.v2`));
      expect(gone).toMatchObject({ status: 410, message: /revoked: hallucinated citations/ });
      // dev still points at v2: resolving the channel says so rather than serving it.
      expect(await refusal(as(runtime).resolve(`${name}@dev`))).toMatchObject({ status: 410 });
      root = await signerAs(platform, runtime).trustRoot();
      expect(failedCheck(verify(v2))).toBe('revocation');
    });

    it('rejects every seal of a revoked key', async () => {
      const v1 = await as(runtime).resolve(`${name}.v1`);
      const keyId = root.keys.find((k) => k.purpose === 'pack-signer' && k.status === 'active')!.keyId;
      await signerAs(platform, platform.admin).revokeKey(keyId, 'laptop stolen');
      root = await signerAs(platform, runtime).trustRoot();
      const result = verify(v1);
      expect(failedCheck(result)).toBe('revocation');
      expect(!result.ok && result.reason).toMatch(/revoked/);
    });
  });

  it('published every transition on persona.lifecycle, in order, with actor and ref', async () => {
    const expected = [
      ['draftSaved', 'trainer', name], // the draft deleted in the four-eyes test
      ['reviewRequested', 'trainer', name],
      ['reviewSubmitted', 'reviewer', name],
      ['draftDeleted', 'trainer', name],
      ...[1, 2].flatMap((v) => [
        ['draftSaved', 'trainer', name],
        ['reviewRequested', 'trainer', name],
        ['reviewSubmitted', 'reviewer', name],
        ['reviewSubmitted', 'reviewer', name],
        ['sealed', 'signer', `${name}.v${v}`],
        ['promoted', 'signer', `${name}@dev`],
        ['promoted', 'signer', `${name}@prod`],
      ]),
      ['rolledBack', 'signer', `${name}@prod`],
      ['revoked', 'signer', `${name}.v2`],
    ];
    const events = await eventually(
      () => lifecycleEvents(platform),
      (found) => found.length >= expected.length,
    );
    expect(events.map((e) => [e.payload.event.case, e.actor.kind, e.personaRef])).toEqual(expected);
    expect(events.every((e) => e.key === name)).toBe(true);
    const sealedV1 = events.find((e) => e.payload.event.case === 'sealed')!;
    expect(sealedV1.payload.event.value).toMatchObject({
      version: 1,
      draftId: sealed[1],
      trainingSessions: [sessionId],
    });
    const rolledBack = events.find((e) => e.payload.event.case === 'rolledBack')!;
    expect(rolledBack.payload.event.value).toMatchObject({ channel: 'prod', version: 1, previousVersion: 2 });
  });
});
