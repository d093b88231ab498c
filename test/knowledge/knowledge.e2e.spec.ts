import {
  bootPlatform,
  call,
  mintKey,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';

/** Knowledge snapshots over HTTP on the whole platform (hosted by the synthesis-pipeline module). */

const HANDBOOK = `The Krebs cycle runs in the mitochondrial matrix. Each turn oxidises acetyl-CoA to two molecules of carbon dioxide.

It produces NADH and FADH2, which feed the electron transport chain; ATP synthase then makes most of the cell's ATP.`;
const POLICY = `Refunds are accepted within thirty days of purchase when the customer shows a receipt. Store credit is offered after thirty days.

Gift cards cannot be refunded or exchanged for cash.`;
const TRAVEL = `Employees book economy class for flights under six hours. Business class needs a director's approval.

Hotel nights are reimbursed up to the city's published rate.`;

describe('knowledge snapshots over HTTP', () => {
  let platform: Platform;
  let trainer: Credential;
  let orchestrator: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(uniqueTenant('knowledge'));
    trainer = await mintKey(platform, 'trainer');
    orchestrator = await mintKey(platform, 'orchestrator');
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const create = (documents: object[], as: Credential = trainer) =>
    call(platform, as, 'POST', '/v1/knowledge/snapshots', { label: 'e2e', documents });

  it('answers a question from an uploaded document with that document’s chunk first', async () => {
    const created = await create([
      { source: 'refund-policy.md', tags: ['policy'], text: POLICY },
      { source: 'biology-handbook.md', tags: ['science'], text: HANDBOOK },
      { source: 'travel-policy.md', tags: ['policy'], text: TRAVEL },
    ]);
    expect(created.status).toBe(201);
    const id = created.body.snapshotId as string;
    expect(id).toMatch(/^ks-/);
    expect(created.body.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(created.body.ref).toEqual({
      snapshot: id,
      embedder: 'hashing-v1@512',
      manifestDigest: created.body.manifestDigest,
      chunks: created.body.chunks,
    });

    const search = await call(platform, orchestrator, 'POST', `/v1/knowledge/snapshots/${id}/search`, {
      query: 'Where in the cell does the Krebs cycle run?',
      k: 3,
    });
    expect(search.status).toBe(200);
    const hits = search.body.hits as { source: string; text: string; score: number }[];
    expect(hits[0]?.source).toBe('biology-handbook.md');
    expect(hits[0]?.text).toContain('mitochondrial matrix');

    const refund = await call(platform, orchestrator, 'POST', `/v1/knowledge/snapshots/${id}/search`, {
      query: 'can I get my money back for a gift card?',
      k: 2,
    });
    expect((refund.body.hits as { source: string }[])[0]?.source).toBe('refund-policy.md');

    // Filtered: only the policy tag, so the handbook is never returned.
    const filtered = await call(platform, orchestrator, 'POST', `/v1/knowledge/snapshots/${id}/search`, {
      query: 'Krebs cycle mitochondria',
      k: 10,
      filter: { tags: ['policy'] },
    });
    const sources = (filtered.body.hits as { source: string }[]).map((h) => h.source);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources).not.toContain('biology-handbook.md');
  });

  it('serves the manifest the digest was computed from, in pages', async () => {
    const created = await create([
      { source: 'handbook.md', text: `${HANDBOOK}\n\n${POLICY}\n\n${TRAVEL}`.repeat(8) },
    ]);
    const id = created.body.snapshotId as string;
    const summary = await call(platform, trainer, 'GET', `/v1/knowledge/snapshots/${id}`);
    expect(summary.body).toMatchObject({ id, state: 'sealed', manifestDigest: created.body.manifestDigest });
    const chunks = created.body.chunks as number;
    expect(chunks).toBeGreaterThan(2);
    const entries: { id: string; contentHash: string }[] = [];
    let after: string | null = null;
    do {
      const page = await call(
        platform,
        trainer,
        'GET',
        `/v1/knowledge/snapshots/${id}/manifest?limit=2${after ? `&after=${after}` : ''}`,
      );
      expect(page.status).toBe(200);
      entries.push(...(page.body.entries as { id: string; contentHash: string }[]));
      after = page.body.next as string | null;
    } while (after);
    expect(entries).toHaveLength(chunks);
    const { manifestDigest } = await import('@personae/knowledge');
    expect(manifestDigest({ snapshot: id, embedder: 'hashing-v1@512', chunks: entries })).toBe(
      created.body.manifestDigest,
    );
  });

  it('streams a plain-text upload into a snapshot', async () => {
    const response = await fetch(
      `${platform.url}/v1/knowledge/snapshots/upload?source=handbook.txt&tags=science,course`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${trainer.token}`, 'content-type': 'text/plain; charset=utf-8' },
        body: `${POLICY}\n\n${HANDBOOK}`,
      },
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { snapshotId: string; chunks: number };
    const search = await call(
      platform,
      orchestrator,
      'POST',
      `/v1/knowledge/snapshots/${body.snapshotId}/search`,
      {
        query: 'ATP synthase electron transport chain',
        filter: { sources: ['handbook.txt'], tags: ['science'] },
      },
    );
    expect((search.body.hits as { text: string }[])[0]?.text).toContain('ATP synthase');
  });

  it('refuses bad input with the field and the reason, and writes nothing', async () => {
    const missing = await create([{ source: '', text: 'x' }]);
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.field).toBe('documents[0].source');
    const noText = await create([{ source: 'empty.md', text: '   \n\n  ' }]);
    expect(noText.status).toBe(400);
    expect(noText.body.errors).toEqual([
      { field: 'documents', reason: 'the documents contain no text to index' },
    ]);
    const badTag = await create([{ source: 'a.md', tags: ['has space'], text: 'Some text.' }]);
    expect(badTag.status).toBe(400);
    expect(badTag.body.errors?.[0]?.field).toBe('documents[0].tags');
    const badK = await call(
      platform,
      orchestrator,
      'POST',
      `/v1/knowledge/snapshots/ks-01890a5d-ac96-774b-bcce-b302099a8057/search`,
      {
        query: 'q',
        k: 1000,
      },
    );
    expect(badK.status).toBe(400);
    expect(badK.body.errors?.[0]?.field).toBe('k');
    const badId = await call(platform, orchestrator, 'GET', '/v1/knowledge/snapshots/not-an-id');
    expect(badId.status).toBe(400);
    const wrongType = await fetch(`${platform.url}/v1/knowledge/snapshots/upload?source=a.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${trainer.token}`, 'content-type': 'image/png' },
      body: 'x',
    });
    expect(wrongType.status).toBe(400);
  });

  it('scopes snapshots to the tenant and the roles', async () => {
    const created = await create([{ source: 'policy.md', text: POLICY }]);
    const id = created.body.snapshotId as string;
    expect((await create([{ source: 'x.md', text: POLICY }], orchestrator)).status).toBe(403);
    expect((await call(platform, undefined, 'GET', `/v1/knowledge/snapshots/${id}`)).status).toBe(401);

    const other = await bootOtherTenant(platform);
    const foreign = await call(platform, other, 'POST', `/v1/knowledge/snapshots/${id}/search`, {
      query: 'refund',
    });
    expect(foreign.status).toBe(404);
    expect((await call(platform, other, 'GET', `/v1/knowledge/snapshots/${id}`)).status).toBe(404);
  });
});

/** A trainer key of another tenant, minted directly (admins can only mint in their own tenant). */
async function bootOtherTenant(platform: Platform): Promise<Credential> {
  const { ApiKeyService } = await import('@personae/auth');
  const { token, key } = await platform.running.app
    .get(ApiKeyService)
    .mint({
      tenantId: uniqueTenant('other'),
      role: 'orchestrator',
      label: 'other tenant',
      createdBy: 'test',
    });
  return { token, subject: `apikey:${key.id}` };
}
