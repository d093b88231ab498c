import { ApiKeyService } from '@personae/auth';
import {
  bootPlatform,
  call,
  lifecycleEvents,
  mintKey,
  registryAs,
  signerAs,
  testPack,
  uniqueTenant,
  type Credential,
  type Platform,
} from './support';

/** Bad input: each refusal is a 4xx with a clear reason, and nothing is written. */
describe('registry bad input', () => {
  const tenant = uniqueTenant('registry-bad');
  let platform: Platform;
  let trainer: Credential;
  let reviewer: Credential;
  let signer: Credential;
  let unregisteredSigner: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    trainer = await mintKey(platform, 'trainer');
    reviewer = await mintKey(platform, 'reviewer');
    signer = await mintKey(platform, 'signer');
    unregisteredSigner = await mintKey(platform, 'signer', 'not a trusted identity');
    await signerAs(platform, platform.admin).registerIdentity({
      subject: signer.subject,
      displayName: 'Signer',
      roles: ['pack-signer'],
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const post = (path: string, body: string | object, as = trainer, contentType?: string) =>
    call(platform, as, 'POST', path, body, contentType);
  /** Nothing of `name` exists and no event was published for it. */
  const nothingWritten = async (name: string) => {
    expect((await registryAs(platform, trainer).listDrafts({ name })).total).toBe(0);
    expect((await call(platform, trainer, 'GET', `/v1/personas/${name}`)).status).toBe(404);
    expect((await lifecycleEvents(platform)).filter((e) => e.key === name)).toEqual([]);
  };

  it('refuses an invalid pack with every problem by JSON pointer', async () => {
    const pack = testPack('bad_values') as { spec: Record<string, unknown> };
    pack.spec.personality = { openness: 2 };
    pack.spec.capabilities = ['telepathy'];
    const reply = await post('/v1/personas/drafts', { pack });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^invalid persona pack \(2 problems\)/);
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([
        { field: '/spec/personality/openness', reason: expect.stringMatching(/1/) },
        expect.objectContaining({ field: '/spec/capabilities/0' }),
      ]),
    );
    await nothingWritten('bad_values');
  });

  it('refuses unknown and missing fields, in the pack and in the request', async () => {
    const pack = testPack('bad_fields') as { metadata: Record<string, unknown>; spec?: unknown };
    pack.metadata.colour = 'blue';
    const unknown = await post('/v1/personas/drafts', { pack });
    expect(unknown).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: '/metadata/colour' })] },
    });
    delete pack.metadata.colour;
    delete pack.spec;
    const missing = await post('/v1/personas/drafts', { pack });
    expect(missing).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: '/spec' })] },
    });
    const extra = await post('/v1/personas/drafts', { pack: testPack('bad_fields'), surprise: true });
    expect(extra).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'surprise', reason: 'unknown field' }] },
    });
    const noPack = await post('/v1/personas/drafts', {});
    expect(noPack).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'pack' })] },
    });
    await nothingWritten('bad_fields');
  });

  it('refuses YAML bombs, tags and oversized documents before parsing them', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    const exploded = await post('/v1/personas/import', bomb, trainer, 'application/yaml');
    expect(exploded).toMatchObject({ status: 400, body: { message: expect.stringMatching(/alias/) } });
    const tagged = await post('/v1/personas/import', 'metadata: !!binary aGVsbG8=', trainer, 'text/yaml');
    expect(tagged.status).toBe(400);
    const huge = `# ${'x'.repeat(600 * 1024)}\n`;
    const oversized = await post('/v1/personas/import', huge, trainer, 'application/yaml');
    expect(oversized).toMatchObject({
      status: 413,
      body: { statusCode: 413, message: expect.stringMatching(/limit/) },
    });
    const plain = await post('/v1/personas/import', 'metadata: {}', trainer, 'text/plain');
    expect(plain.status).toBe(415);
    expect((await registryAs(platform, trainer).listDrafts()).total).toBe(0);
  });

  it('refuses transitions the state does not allow (409) and says why, changing nothing', async () => {
    const client = registryAs(platform, trainer);
    const draft = await client.createDraft(testPack('wrong_moves', { requiredApprovals: 1 }));
    const approve = await post(`/v1/personas/drafts/${draft.id}/approve`, {}, reviewer);
    expect(approve).toMatchObject({
      status: 409,
      body: { message: 'only a draft in review can be approved (state is draft)' },
    });
    expect((await post(`/v1/personas/drafts/${draft.id}/withdraw`, {})).status).toBe(409);
    const seal = await post(`/v1/personas/drafts/${draft.id}/seal`, {}, signer);
    expect(seal).toMatchObject({ status: 409, body: { message: /only an approved draft can be sealed/ } });
    await client.submit(draft.id);
    const edit = await call(platform, trainer, 'PUT', `/v1/personas/drafts/${draft.id}`, {
      pack: testPack('wrong_moves'),
    });
    expect(edit).toMatchObject({ status: 409, body: { message: /withdraw it first/ } });
    const blank = await post(`/v1/personas/drafts/${draft.id}/reject`, { comment: '  ' }, reviewer);
    expect(blank.status).toBe(400);
    expect(await client.getDraft(draft.id)).toMatchObject({
      state: 'in_review',
      approvals: [],
      reviews: [],
      digest: draft.digest,
    });
  });

  it('writes nothing when the signer refuses the seal, and answers with its reason', async () => {
    const client = registryAs(platform, trainer);
    const draft = await client.createDraft(testPack('signer_says_no', { requiredApprovals: 1 }));
    await client.submit(draft.id);
    await registryAs(platform, reviewer).approve(draft.id);
    const refused = await post(`/v1/personas/drafts/${draft.id}/seal`, {}, unregisteredSigner);
    expect(refused).toMatchObject({
      status: 403,
      body: { message: /the signer refused the seal: .*not a registered trusted signer/ },
    });
    expect(await client.getDraft(draft.id)).toMatchObject({ state: 'approved' });
    expect((await client.listVersions('signer_says_no')).versions).toEqual([]);
    expect((await lifecycleEvents(platform)).some((e) => e.payload.event.case === 'sealed')).toBe(false);
    const version = await registryAs(platform, signer).seal(draft.id);
    expect(version.ref).toBe('signer_says_no.v1');
    const sealedDraft = await call(platform, trainer, 'DELETE', `/v1/personas/drafts/${draft.id}`);
    expect(sealedDraft).toMatchObject({ status: 409, body: { message: /cannot be deleted/ } });
  });

  it('answers unknown refs with 404, malformed ones with 400', async () => {
    const resolve = (ref: string) => call(platform, trainer, 'GET', `/v1/resolve/${encodeURIComponent(ref)}`);
    expect(await resolve('nobody.v1')).toMatchObject({
      status: 404,
      body: { message: /unknown ref nobody.v1/ },
    });
    expect(await resolve('nobody@prod')).toMatchObject({
      status: 404,
      body: { message: /unknown ref nobody@prod/ },
    });
    expect(await resolve('signer_says_no.v9')).toMatchObject({ status: 404 });
    expect(await resolve('signer_says_no@prod')).toMatchObject({ status: 404 });
    expect(await resolve('Not A Ref')).toMatchObject({ status: 400, body: { message: /not a persona ref/ } });
    expect((await call(platform, trainer, 'GET', '/v1/personas/drafts/not-a-uuid')).status).toBe(400);
    expect((await call(platform, trainer, 'GET', '/v1/personas/nobody/versions')).status).toBe(404);
  });

  it('serves resolve ahead of the Nest pipeline with the same auth, error bodies, correlation ids and metrics', async () => {
    const url = `${platform.url}/v1/resolve/signer_says_no.v1`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="personae"');
    expect(await anonymous.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringMatching(/missing bearer token/),
      correlationId: anonymous.headers.get('x-correlation-id'),
    });
    const forged = await fetch(url, { headers: { authorization: 'Bearer pk_nope_nope' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer realm="personae", error="invalid_token"');
    // The admin role is not among the readers of sealed packs (separation of duties).
    const admin = await fetch(url, { headers: { authorization: `Bearer ${platform.admin}` } });
    expect(admin.status).toBe(403);
    expect(await admin.json()).toMatchObject({
      message: 'this action requires the role trainer or reviewer or signer or auditor or orchestrator',
    });

    const headers = { authorization: `Bearer ${trainer.token}`, 'x-correlation-id': 'fast-route-check' };
    const found = await fetch(`${url}?ignored=1`, { headers });
    expect(found.status).toBe(200);
    expect(found.headers.get('x-correlation-id')).toBe('fast-route-check');
    expect(found.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await found.text();
    expect(Number(found.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toMatchObject({
      ref: 'signer_says_no.v1',
      name: 'signer_says_no',
      version: 1,
      state: 'sealed',
    });
    const malformed = await fetch(`${platform.url}/v1/resolve/%E0%A4%A`, { headers });
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toMatchObject({
      message: /malformed path parameter/,
      correlationId: 'fast-route-check',
    });
    // Paths the fast route does not own still reach Nest, which answers them as before.
    const nested = await fetch(`${platform.url}/v1/resolve/signer_says_no.v1/extra`, { headers });
    expect(nested.status).toBe(404);
    expect(await nested.json()).toMatchObject({
      message: 'no route GET /v1/resolve/signer_says_no.v1/extra',
    });
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(metrics).toMatch(
      /personae_http_request_duration_seconds_count\{method="GET",route="\/v1\/resolve\/:ref",status="200"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /personae_http_request_duration_seconds_count\{method="GET",route="\/v1\/resolve\/:ref",status="401"\} [1-9]/,
    );
  });

  it('keeps tenants apart: another tenant gets 404 for everything of this one', async () => {
    const other = uniqueTenant('registry-other');
    const keys = platform.running.app.get(ApiKeyService);
    const outsider = await keys.mint({
      tenantId: other,
      role: 'trainer',
      label: 'outsider',
      createdBy: 'test',
    });
    const them: Credential = { token: outsider.token, subject: `apikey:${outsider.key.id}` };
    const draft = (await registryAs(platform, trainer).listDrafts({ name: 'signer_says_no' })).items[0]!;
    for (const path of [
      `/v1/personas/drafts/${draft.id}`,
      '/v1/personas/signer_says_no',
      '/v1/personas/signer_says_no/versions/1',
      '/v1/resolve/signer_says_no.v1',
    ])
      expect((await call(platform, them, 'GET', path)).status).toBe(404);
    expect(
      (
        await call(platform, them, 'PUT', `/v1/personas/drafts/${draft.id}`, {
          pack: testPack('signer_says_no'),
        })
      ).status,
    ).toBe(404);
    expect((await registryAs(platform, them).listDrafts()).total).toBe(0);
    // Same name, other tenant: a persona of its own, not a draft of ours.
    const theirs = await registryAs(platform, them).createDraft(testPack('signer_says_no'));
    expect(theirs.personaName).toBe('signer_says_no');
    expect((await registryAs(platform, trainer).listDrafts({ name: 'signer_says_no' })).total).toBe(1);
  });

  it('enforces roles and reserved names', async () => {
    expect((await post('/v1/personas/drafts', { pack: testPack('by_reviewer') }, reviewer)).status).toBe(403);
    const admin: Credential = { token: platform.admin, subject: 'admin' };
    expect((await call(platform, admin, 'GET', '/v1/personas/drafts')).status).toBe(403);
    const reserved = await post('/v1/personas/drafts', { pack: testPack('drafts') });
    expect(reserved).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: '/metadata/name' })] },
    });
  });

  it('serves the JSON Schema of the pack format without credentials', async () => {
    const reply = await call(platform, undefined, 'GET', '/v1/schemas/persona-pack');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      $id: 'https://personae.dev/schemas/persona-pack/v1.json',
      properties: { metadata: expect.any(Object), spec: expect.any(Object) },
    });
    const openApi = await call(platform, undefined, 'GET', '/docs-json');
    expect(Object.keys(openApi.body.paths as object)).toEqual(
      expect.arrayContaining(['/v1/personas/drafts', '/v1/personas/drafts/{id}/seal', '/v1/resolve/{ref}']),
    );
  });
});
