import { parsePack } from '@personae/pack';
import type { RegistryClient } from '@personae/sdk';
import {
  bootPlatform,
  call,
  eventually,
  lifecycleEvents,
  mintKey,
  registryAs,
  signerAs,
  testPack,
  uniqueTenant,
  type Credential,
  type Platform,
} from './support';

type Registry = RegistryClient;

/** Search, filters, pagination, export/import, clone and diff over real HTTP. */
describe('registry catalogue', () => {
  const tenant = uniqueTenant('registry-cat');
  let platform: Platform;
  let trainer: Registry;
  let otherTrainer: Registry;
  let reviewer: Registry;
  let signer: Registry;
  let trainerKey: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    trainerKey = await mintKey(platform, 'trainer');
    trainer = registryAs(platform, trainerKey);
    otherTrainer = registryAs(platform, await mintKey(platform, 'trainer', 'second trainer'));
    reviewer = registryAs(platform, await mintKey(platform, 'reviewer'));
    const signerKey = await mintKey(platform, 'signer');
    signer = registryAs(platform, signerKey);
    await signerAs(platform, platform.admin).registerIdentity({
      subject: signerKey.subject,
      displayName: 'Signer',
      roles: ['pack-signer'],
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  /** One approval suffices for these packs. */
  async function seal(draftId: string): Promise<number> {
    await trainer.submit(draftId);
    await reviewer.approve(draftId, 'ok');
    return (await signer.seal(draftId)).version;
  }

  function pack(
    name: string,
    fields: {
      displayName?: string;
      description?: string;
      system?: string;
      tags?: string[];
      category?: string;
    },
  ) {
    const base = testPack(name, {
      requiredApprovals: 1,
      tags: fields.tags ?? ['general'],
      system: fields.system ?? 'You help.',
    });
    return {
      ...base,
      metadata: {
        ...base.metadata,
        displayName: fields.displayName ?? 'Helper',
        description: fields.description ?? 'A helper.',
        category: fields.category ?? 'general',
      },
    };
  }

  it('ranks full-text matches: name and title over tags, description, then the system prompt', async () => {
    await trainer.createDraft(pack('tide_tables', { system: 'Mention oceanography only when asked.' }));
    await trainer.createDraft(pack('oceanography_guide', { displayName: 'Oceanography Guide' }));
    await trainer.createDraft(pack('sea_notes', { description: 'Notes on oceanography field trips.' }));
    await trainer.createDraft(pack('cooking_coach', { displayName: 'Cooking Coach' }));
    const found = await trainer.listDrafts({ q: 'oceanography' });
    expect(found.items.map((d) => d.personaName)).toEqual(['oceanography_guide', 'sea_notes', 'tide_tables']);
    const ranks = found.items.map((d) => d.rank!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(ranks[0]).toBeGreaterThan(ranks[2]!);
    expect(
      (await trainer.listDrafts({ q: 'oceanography -guide' })).items.map((d) => d.personaName),
    ).not.toContain('oceanography_guide');
  });

  it('filters by tags, capabilities, category, creator and state, with bounded pages', async () => {
    await otherTrainer.createDraft(pack('legal_eagle', { tags: ['law', 'contracts'], category: 'legal' }));
    await otherTrainer.createDraft(pack('contract_checker', { tags: ['contracts'], category: 'legal' }));
    const names = async (filters: Parameters<Registry['listDrafts']>[0]) =>
      (await trainer.listDrafts(filters)).items.map((d) => d.personaName).sort();
    expect(await names({ tag: ['contracts'] })).toEqual(['contract_checker', 'legal_eagle']);
    expect(await names({ tag: ['contracts', 'law'] })).toEqual(['legal_eagle']);
    expect(await names({ category: 'legal', capability: ['research'] })).toEqual([
      'contract_checker',
      'legal_eagle',
    ]);
    expect(await names({ capability: ['coding'] })).toEqual([]);
    expect(await names({ createdBy: trainerKey.subject })).toEqual([
      'cooking_coach',
      'oceanography_guide',
      'sea_notes',
      'tide_tables',
    ]);
    expect(await names({ state: 'in_review' })).toEqual([]);

    const first = await trainer.listDrafts({ limit: 2 });
    const second = await trainer.listDrafts({ limit: 2, offset: 2 });
    expect(first).toMatchObject({ total: 6, limit: 2, offset: 0 });
    expect(first.items).toHaveLength(2);
    expect(second.items.map((d) => d.id)).not.toContain(first.items[0]!.id);
    expect((await call(platform, trainerKey, 'GET', '/v1/personas/drafts?limit=1000')).status).toBe(400);
    expect(await call(platform, trainerKey, 'GET', '/v1/personas?offset=-1')).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'offset' })] },
    });
  });

  it('exports YAML and JSON that import back to the same pack', async () => {
    const [draft] = (await trainer.listDrafts({ name: 'oceanography_guide' })).items;
    const original = await trainer.getDraft(draft!.id);
    const yaml = await trainer.exportDraft(draft!.id, 'yaml');
    expect(yaml).toContain('kind: PersonaPack');
    const fromYaml = await trainer.importDocument(yaml, 'yaml');
    expect(fromYaml.id).not.toBe(original.id);
    expect(fromYaml.pack).toEqual(original.pack);
    expect(fromYaml.digest).toBe(original.digest);
    const fromJson = await trainer.importDocument(await trainer.exportDraft(draft!.id, 'json'), 'json');
    expect(fromJson.digest).toBe(original.digest);
  });

  it('seals, exports a version, clones it with forkedFrom and diffs with provenance', async () => {
    const v1Draft = await trainer.createDraft(pack('field_guide', { system: 'You identify birds.' }));
    expect(await seal(v1Draft.id)).toBe(1);
    const exported = parsePack(await trainer.exportVersion('field_guide', 1));
    expect(exported).toEqual((await trainer.getVersion('field_guide', 1)).pack);

    const changed = pack('field_guide', { system: 'You identify birds and their songs.' });
    changed.provenance.changes = [
      {
        path: '/spec/prompt/system',
        reason: 'Trainers kept asking about songs.',
        events: [],
        origin: 'human',
      },
    ];
    const v2Draft = await trainer.createDraft(changed);
    const draftDiff = await trainer.diff('field_guide', 'v1', `draft:${v2Draft.id}`);
    const promptChange = draftDiff.changes.find((c) => c.pointer === '/spec/prompt/system');
    expect(promptChange).toMatchObject({
      kind: 'changed',
      before: 'You identify birds.',
      after: 'You identify birds and their songs.',
      provenance: [expect.objectContaining({ reason: 'Trainers kept asking about songs.' })],
    });
    expect(await seal(v2Draft.id)).toBe(2);
    const versionDiff = await trainer.diff('field_guide', 'v1', 'v2');
    expect(versionDiff).toMatchObject({ from: 'field_guide.v1', to: 'field_guide.v2' });
    expect(versionDiff.changes.map((c) => c.pointer)).toEqual(
      expect.arrayContaining(['/metadata/version', '/spec/prompt/system']),
    );

    const fork = await otherTrainer.clone('field_guide', 'field_guide_eu', 1);
    expect(fork.pack).toMatchObject({
      metadata: { name: 'field_guide_eu', forkedFrom: 'field_guide.v1' },
      provenance: { base: 'field_guide.v1', changes: [] },
    });
    expect(fork.pack.spec).toEqual((await trainer.getVersion('field_guide', 1)).pack.spec);
    expect(await trainer.getPersona('field_guide_eu')).toMatchObject({
      forkedFrom: 'field_guide.v1',
      drafts: 1,
    });
    expect(await trainer.getPersona('field_guide')).toMatchObject({ latestVersion: 2 });
    const taken = await call(platform, trainerKey, 'POST', '/v1/personas/field_guide/clone', {
      newName: 'sea_notes',
    });
    expect(taken).toMatchObject({ status: 409, body: { message: /already exists/ } });
    expect(
      (await call(platform, trainerKey, 'GET', '/v1/personas/field_guide/diff?from=v1&to=v9')).status,
    ).toBe(404);
  });

  it('keeps review comments; an edit voids approvals; a rejected draft can be fixed and resubmitted', async () => {
    const twoApprovals = {
      ...pack('careful_one', {}),
      spec: { ...pack('careful_one', {}).spec, policy: { requiredApprovals: 2 } },
    };
    const draft = await trainer.createDraft(twoApprovals);
    await trainer.submit(draft.id);
    expect((await reviewer.approve(draft.id, 'fine by me')).approvals).toHaveLength(1);
    expect((await trainer.withdraw(draft.id)).approvals).toEqual([]);
    await trainer.submit(draft.id);
    const rejected = await reviewer.reject(draft.id, 'the system prompt needs a safety line');
    expect(rejected).toMatchObject({ state: 'rejected', approvals: [] });
    const edited = await trainer.updateDraft(draft.id, {
      ...twoApprovals,
      spec: { ...twoApprovals.spec, prompt: { system: 'You help. Never give medical advice.' } },
    });
    expect(edited).toMatchObject({ state: 'draft', approvals: [] });
    expect(edited.digest).not.toBe(draft.digest);
    expect((await trainer.submit(draft.id)).state).toBe('in_review');
    const read = await trainer.getDraft(draft.id);
    expect(read.reviews.map((r) => [r.verdict, r.comment])).toEqual([
      ['approved', 'fine by me'],
      ['rejected', 'the system prompt needs a safety line'],
    ]);
    await trainer.withdraw(draft.id);
    const renamed = await call(platform, trainerKey, 'PUT', `/v1/personas/drafts/${draft.id}`, {
      pack: pack('another_name', {}),
    });
    expect(renamed).toMatchObject({
      status: 400,
      body: { errors: [{ field: '/metadata/name', reason: expect.stringMatching(/cannot be renamed/) }] },
    });
  });

  it('numbers concurrent seals of one persona without gaps or duplicates', async () => {
    const drafts = await Promise.all(
      ['A', 'B', 'C'].map((x) =>
        trainer.createDraft(pack('field_guide', { system: `You identify birds (${x}).` })),
      ),
    );
    for (const draft of drafts) {
      await trainer.submit(draft.id);
      await reviewer.approve(draft.id);
    }
    const versions = await Promise.all(drafts.map((draft) => signer.seal(draft.id)));
    expect(versions.map((v) => v.version).sort()).toEqual([3, 4, 5]);
    expect((await trainer.listVersions('field_guide')).versions.map((v) => v.version)).toEqual([
      5, 4, 3, 2, 1,
    ]);
  });

  it('lists personas and the default channels', async () => {
    const page = await trainer.listPersonas({ limit: 100 });
    expect(page.items.map((p) => p.name)).toEqual(
      expect.arrayContaining(['field_guide', 'field_guide_eu', 'legal_eagle']),
    );
    const channels = await trainer.channels('field_guide');
    expect(channels.channels.map((c) => c.channel)).toEqual(['dev', 'prod']);
    await signer.promote('field_guide', 'canary', 2, 'try on a few users');
    const withCanary = await trainer.channels('field_guide');
    expect(withCanary.channels.find((c) => c.channel === 'canary')).toMatchObject({
      version: 2,
      history: [{ action: 'promote' }],
    });
  });
  it('announces withdrawn and deleted drafts on persona.lifecycle, in the transaction of the change', async () => {
    const draft = await trainer.createDraft(pack('short_lived', {}));
    await trainer.submit(draft.id);
    await trainer.withdraw(draft.id);
    await trainer.deleteDraft(draft.id);
    const ofDraft = (events: Awaited<ReturnType<typeof lifecycleEvents>>) =>
      events
        .map((e) => e.payload.event)
        .filter((event) => (event.value as { draftId?: string }).draftId === draft.id);
    const events = await eventually(
      async () => ofDraft(await lifecycleEvents(platform)),
      (found) => found.some((event) => event.case === 'draftDeleted'),
    );
    expect(events.map((event) => event.case)).toEqual([
      'draftSaved',
      'reviewRequested',
      'withdrawn',
      'draftDeleted',
    ]);
    expect(events[2]!.value).toMatchObject({ personaName: 'short_lived', draftId: draft.id });
    expect(events[3]!.value).toEqual(
      expect.objectContaining({ personaName: 'short_lived', draftId: draft.id, personaDeleted: true }),
    );
  });
});
