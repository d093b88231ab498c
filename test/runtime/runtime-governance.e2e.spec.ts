import { Client } from 'pg';
import type { SignedReceipt } from '@personae/runtime';
import { completion, errorReply, ScriptedOpenAiServer } from '../models/scripted-openai.server';
import { signJwt } from '@personae/auth';
import { call, JWT_SECRET, registryAs, uniqueTenant, type Platform } from '../registry/support';
import {
  bootWithScriptedModel,
  personaPack,
  sealPersona,
  ToolServer,
  verifyWithPublishedKey,
  type Cast,
} from './support';

interface Execution {
  outcome: string;
  content: string;
  denial?: { step: string; reasons: string[] };
  error?: string;
  receipt: SignedReceipt;
  decisions: { step: string; effect: string; reasons: string[] }[];
}

/**
 * Refusals: revoked (within 2 s), tampered and unknown packs, exhausted budgets, oversized input,
 * model timeouts and garbage — each a clear status and reason, a receipt where work was attempted,
 * and the instance's memory untouched.
 */
describe('runtime: governance and bad input', () => {
  const tenant = uniqueTenant('runtime-gov');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;

  beforeAll(async () => {
    ({ platform, model, cast } = await bootWithScriptedModel(tenant, {
      // 1000 USD per million tokens = 0.001 USD a token, so small token counts cost visibly.
      // The backup model of the fallback test costs twice as much.
      MODEL_PRICES: 'scripted-*=1000/1000; scripted-backup=2000/2000',
      MODEL_TIMEOUT_MS: '600',
      RUNTIME_MAX_INPUT_CHARS: '2000',
    }));
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
  });

  const post = (path: string, body: object) => call(platform, cast.orchestrator, 'POST', path, body);
  const instanceOf = async (ref: string): Promise<string> => {
    const created = await post('/v1/runtime/instances', { ref });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  /** An instance of a newly sealed persona answering from a scripted model, with this budget. */
  const budgetedInstance = async (
    name: string,
    maxTokens: number,
    budget: { maxCostPerRequest?: number; maxCostPerDay?: number },
  ): Promise<string> =>
    instanceOf(
      await sealPersona(
        platform,
        cast,
        personaPack(name, { system: 'You help.', model: `scripted-${name}`, maxTokens, budget }),
      ),
    );
  const execute = async (id: string, input: string) => {
    const response = await post(`/v1/runtime/instances/${id}/execute`, { input });
    return { status: response.status, body: response.body as unknown as Execution };
  };
  const memoryOf = async (id: string) =>
    (
      (await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}/memory`)).body
        .messages as unknown[]
    ).length;

  it('refuses a revoked persona within 2 s of the revocation, with a receipt, and will not instantiate it', async () => {
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('revoked_one', { system: 'You help.', model: 'scripted-rev' }),
    );
    const id = await instanceOf(ref);
    model.reply(completion({ content: 'Fine.', usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    expect((await execute(id, 'Hello')).body.outcome).toBe('completed');

    await registryAs(platform, cast.signer).revoke('revoked_one', 1, 'leaked system prompt');
    const revokedAt = Date.now();
    let denied: Execution | undefined;
    while (!denied && Date.now() - revokedAt < 5000) {
      model.reply(completion({ content: 'Still here.', usage: { prompt_tokens: 1, completion_tokens: 1 } }));
      const attempt = await execute(id, 'Are you there?');
      if (attempt.body.outcome === 'denied') {
        expect(attempt.status).toBe(403);
        denied = attempt.body;
      }
    }
    const elapsed = Date.now() - revokedAt;
    if (process.env.TEST_REPORT) process.stdout.write(`revoke → refusal: ${elapsed} ms\n`);
    expect(denied).toBeDefined();
    expect(elapsed).toBeLessThan(2000);
    expect(denied!.denial).toEqual({ step: 'revocation', reasons: [`${ref} is revoked`] });
    expect(await verifyWithPublishedKey(platform, denied!.receipt)).toMatchObject({ ok: true });
    expect(denied!.receipt.receipt).toMatchObject({ outcome: 'denied', persona: { ref } });

    const again = await post('/v1/runtime/instances', { ref });
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/revoked/);
    // The OpenAI-compatible door says the same, in OpenAI's error shape.
    const retrieved = await fetch(`${platform.url}/v1/models/${ref}`, {
      headers: { authorization: `Bearer ${cast.orchestrator.token}` },
    });
    expect(retrieved.status).toBe(410);
    expect(await retrieved.json()).toMatchObject({
      error: { message: expect.stringMatching(/revoked/), type: 'invalid_request_error', param: 'model' },
    });
    // Drain replies the polling loop queued but never used.
    while (model.pending > 0)
      await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
  });

  it("decides with the tenant's active policy from governance, within 2 s of its activation and its removal", async () => {
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('tenant_ruled', { system: 'You help.', model: 'scripted-tenant' }),
    );
    const id = await instanceOf(ref);
    const answer = () =>
      model.reply(completion({ content: 'Fine.', usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    answer();
    expect((await execute(id, 'Hello')).body.outcome).toBe('completed');

    const admin = { token: platform.admin, subject: 'admin' };
    const saved = await call(platform, admin, 'POST', '/v1/governance/policies', {
      document: {
        name: 'paused',
        rules: [
          { id: 'pause-chat', effect: 'forbid', match: { actions: ['chat'] }, reason: 'chat is paused here' },
        ],
      },
    });
    expect(saved.status).toBe(201);
    // Every attempt queues a reply: an allowed one uses it, a denied one reaches no model.
    const until = async (outcome: string): Promise<{ elapsed: number; execution: Execution }> => {
      const start = Date.now();
      for (;;) {
        if (model.pending === 0) answer();
        const attempt = await execute(id, 'Still there?');
        if (attempt.body.outcome === outcome) return { elapsed: Date.now() - start, execution: attempt.body };
        if (Date.now() - start > 5000) throw new Error(`still ${attempt.body.outcome} after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const paused = await until('denied');
    expect(paused.elapsed).toBeLessThan(2500);
    expect(paused.execution.denial).toEqual({ step: 'action', reasons: ['chat is paused here'] });
    expect(paused.execution.receipt.receipt).toMatchObject({ outcome: 'denied' });
    expect(await verifyWithPublishedKey(platform, paused.execution.receipt)).toMatchObject({ ok: true });

    expect((await call(platform, admin, 'DELETE', '/v1/governance/policies/active')).status).toBe(204);
    const resumed = await until('completed');
    expect(resumed.elapsed).toBeLessThan(2500);
    while (model.pending > 0)
      await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
  });

  it('moves a channel instance to the newly promoted version within 2 s, and back on rollback', async () => {
    const v1 = await sealPersona(
      platform,
      cast,
      personaPack('channel_one', { system: 'You are version one.', model: 'scripted-ch' }),
    );
    const registry = registryAs(platform, cast.signer);
    await registry.promote('channel_one', 'dev', 1, 'first release');
    const id = await instanceOf('channel_one@dev');
    model.reply(completion({ content: 'One.' }));
    expect((await execute(id, 'Who are you?')).body.receipt.receipt.persona.ref).toBe(v1);

    const v2 = await sealPersona(
      platform,
      cast,
      personaPack('channel_one', { system: 'You are version two.', model: 'scripted-ch' }),
    );
    await registry.promote('channel_one', 'dev', 2, 'second release');
    const promotedAt = Date.now();
    let seen = v1;
    while (seen !== v2 && Date.now() - promotedAt < 5000) {
      model.reply(completion({ content: 'Hi.' }));
      seen = (await execute(id, 'Who are you now?')).body.receipt.receipt.persona.ref;
    }
    expect(seen).toBe(v2);
    expect(Date.now() - promotedAt).toBeLessThan(2000);
    const sent = model.requests[model.requests.length - 1]!.body as { messages: { content: string }[] };
    expect(sent.messages[0]!.content).toContain('You are version two.');
    expect(sent.messages.map((m) => m.content).join('\n')).toContain('Who are you?'); // memory carried

    await registry.rollback('channel_one', 'dev', 1, 'v2 misbehaves');
    const rolledAt = Date.now();
    while (seen !== v1 && Date.now() - rolledAt < 5000) {
      model.reply(completion({ content: 'Hi.' }));
      seen = (await execute(id, 'And now?')).body.receipt.receipt.persona.ref;
    }
    expect(seen).toBe(v1);
    expect(Date.now() - rolledAt).toBeLessThan(2000);
    while (model.pending > 0)
      await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
  });

  it('refuses a pack whose stored bytes were tampered with after sealing', async () => {
    const ref = await sealPersona(platform, cast, personaPack('tampered_one', { system: 'You are honest.' }));
    const db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      await db.query('ALTER TABLE registry.versions DISABLE TRIGGER versions_immutable');
      await db.query(
        `UPDATE registry.versions SET canonical = replace(canonical, 'You are honest.', 'You are evil.')
          WHERE tenant_id = $1 AND persona_name = 'tampered_one'`,
        [tenant],
      );
      await db.query('ALTER TABLE registry.versions ENABLE TRIGGER versions_immutable');
    } finally {
      await db.end();
    }
    const refused = await post('/v1/runtime/instances', { ref });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^persona refused \(digest\)/);
    const instances = await call(platform, cast.orchestrator, 'GET', '/v1/runtime/instances?limit=100');
    expect(JSON.stringify(instances.body)).not.toContain('tampered_one');
  });

  it('answers unknown and malformed refs, and other tenants, with clear 4xx', async () => {
    expect(await call(platform, cast.orchestrator, 'GET', '/v1/runtime/instances?limit=101')).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'limit' })] },
    });
    expect(await post('/v1/runtime/instances', { ref: 'nobody.v1' })).toMatchObject({
      status: 404,
      body: { message: expect.stringMatching(/unknown persona ref nobody.v1/) },
    });
    expect(await post('/v1/runtime/instances', { ref: 'Not A Ref' })).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'ref' })] },
    });
    const unknown = await execute('01890a5d-ac96-774b-bcce-b302099a8057', 'hi');
    expect(unknown.status).toBe(404);

    // Another tenant's orchestrator: the instance does not exist for it.
    const ref = await sealPersona(platform, cast, personaPack('private_one', { system: 'You help.' }));
    const id = await instanceOf(ref);
    const stranger = {
      token: signJwt(
        { sub: 'mallory', tenant: uniqueTenant('other'), role: 'orchestrator' },
        { secret: JWT_SECRET, issuer: 'personae' },
      ),
      subject: 'mallory',
    };
    for (const path of [`/v1/runtime/instances/${id}`, `/v1/runtime/instances/${id}/memory`])
      expect((await call(platform, stranger, 'GET', path)).status).toBe(404);
    expect(
      (await call(platform, stranger, 'POST', `/v1/runtime/instances/${id}/execute`, { input: 'hi' })).status,
    ).toBe(404);
  });

  it('caps max_tokens by the remaining budget and denies the request after the budget is spent', async () => {
    const capped = await budgetedInstance('capped_one', 500, { maxCostPerRequest: 0.2 });
    model.reply(completion({ content: 'Short.', usage: { prompt_tokens: 10, completion_tokens: 5 } }));
    await execute(capped, 'Hi');
    const sent = model.requests[model.requests.length - 1]!.body.max_tokens as number;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(200); // 0.2 USD buys < 200 tokens at 0.001 each, prompt included

    const id = await budgetedInstance('thrifty_one', 100, { maxCostPerDay: 1 });
    model.reply(
      completion({ content: 'That was expensive.', usage: { prompt_tokens: 900, completion_tokens: 100 } }),
    );
    const first = await execute(id, 'Do something costly');
    expect(first.body.outcome).toBe('completed');
    expect(first.body.receipt.receipt).toMatchObject({ cost: 1, tokens: { input: 900, output: 100 } });
    const calls = model.requests.length;
    const next = await execute(id, 'And again');
    expect(next.status).toBe(403);
    expect(next.body.denial).toMatchObject({ step: 'budget', reasons: [expect.stringMatching(/exhausted/)] });
    expect(model.requests.length).toBe(calls); // the model was never asked
    expect(await verifyWithPublishedKey(platform, next.body.receipt)).toMatchObject({ ok: true });
    const instance = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}`);
    expect(instance.body).toMatchObject({ totals: { requests: 2, tokensIn: 900, tokensOut: 100, cost: 1 } });
  });

  it('caps max_tokens by what the daily budget has left once it cannot pay for a whole answer', async () => {
    const id = await budgetedInstance('frugal_one', 300, { maxCostPerDay: 0.5 });
    model.reply(completion({ content: 'Long.', usage: { prompt_tokens: 10, completion_tokens: 300 } }));
    const first = await execute(id, 'Write a lot');
    expect(first.body.outcome).toBe('completed');
    expect(model.requests[model.requests.length - 1]!.body.max_tokens).toBe(300);

    // 0.19 USD left: 190 tokens at 0.001 each, the prompt included — fewer than the pack's 300.
    model.reply(completion({ content: 'Short.', usage: { prompt_tokens: 10, completion_tokens: 50 } }));
    const second = await execute(id, 'More');
    expect(second.body.outcome).toBe('completed');
    const sent = model.requests[model.requests.length - 1]!.body.max_tokens as number;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(190);
    // The whole 0.19 USD is reserved, give or take the last token: the prompt and the capped answer.
    const budget = second.body.receipt.receipt.decisions.find((d: { step: string }) => d.step === 'budget');
    expect(budget).toMatchObject({
      effect: 'allow',
      reasons: [expect.stringContaining(`up to ${sent} output tokens`)],
    });
    const reserved = Number(/^([\d.]+) USD reserved/.exec((budget as { reasons: string[] }).reasons[0]!)![1]);
    expect(reserved).toBeLessThanOrEqual(0.19);
    expect(reserved).toBeGreaterThan(0.19 - 0.002);

    // With a per-request limit as well, the smaller of the two caps the answer: 0.3 USD, prompt included.
    const both = await budgetedInstance('careful_one', 500, { maxCostPerRequest: 0.3, maxCostPerDay: 1 });
    model.reply(completion({ content: 'Brief.', usage: { prompt_tokens: 10, completion_tokens: 5 } }));
    expect((await execute(both, 'Hi')).body.outcome).toBe('completed');
    expect(model.requests[model.requests.length - 1]!.body.max_tokens).toBeLessThan(300);
  });

  it('denies a day budget of 0 even on a free model, every time', async () => {
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('closed_one', {
        system: 'You help.',
        model: 'unpriced-model',
        budget: { maxCostPerDay: 0 },
      }),
    );
    const id = await instanceOf(ref);
    const calls = model.requests.length;
    for (const input of ['Hi', 'Hi again']) {
      const denied = await execute(id, input);
      expect(denied.status).toBe(403);
      expect(denied.body.denial).toMatchObject({
        step: 'budget',
        reasons: [expect.stringMatching(/exhausted/)],
      });
      expect(await verifyWithPublishedKey(platform, denied.body.receipt)).toMatchObject({ ok: true });
    }
    // A per-request limit of 0 pays for nothing either, on a priced model.
    const nothing = await budgetedInstance('nothing_one', 100, { maxCostPerRequest: 0 });
    const refused = await execute(nothing, 'Hi');
    expect(refused.status).toBe(403);
    expect(refused.body.denial).toMatchObject({
      step: 'budget',
      reasons: [expect.stringMatching(/per-request limit \(0 USD\) cannot pay/)],
    });
    expect(model.requests.length).toBe(calls);
  });

  it('reserves the model call after a tool round too: one the budget cannot pay is never made', async () => {
    const tool = await ToolServer.start(() => ({ result: 'looked up' }));
    try {
      const ref = await sealPersona(
        platform,
        cast,
        personaPack('toolish_one', {
          system: 'You help.',
          model: 'scripted-toolish',
          maxTokens: 1000,
          tools: [{ name: 'lab.find', description: 'Find a result' }],
          budget: { maxCostPerDay: 0.5 },
        }),
      );
      const registered = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/tools', {
        name: 'lab.find',
        url: tool.url,
        timeoutMs: 2000,
      });
      expect(registered.status).toBe(201);
      const id = await instanceOf(ref);
      // The first call's hold takes the whole day (its max_tokens capped to fit): nothing is left to
      // answer the tool's result with.
      model.reply(
        completion({
          content: null,
          toolCalls: [{ id: 'call_f', name: 'lab__find', arguments: '{"q":"atp"}' }],
          finishReason: 'tool_calls',
          usage: { prompt_tokens: 10, completion_tokens: 5 },
        }),
      );
      const calls = model.requests.length;
      const result = await execute(id, 'Find it');
      expect(model.requests.length).toBe(calls + 1); // the follow-up was never sent
      expect(result.status).toBe(403);
      expect(result.body).toMatchObject({
        outcome: 'denied',
        toolCalls: [expect.objectContaining({ tool: 'lab.find', outcome: 'ok' })],
        denial: {
          step: 'budget',
          reasons: [expect.stringMatching(/turn after its tool calls: .*exhausted/)],
        },
      });
      expect(result.body.receipt.receipt).toMatchObject({ cost: 0.015, tokens: { input: 10, output: 5 } });
      expect(await verifyWithPublishedKey(platform, result.body.receipt)).toMatchObject({ ok: true });

      // Both holds were settled to the 0.015 USD spent: the next request has the rest of the day.
      model.reply(completion({ content: 'Fine.', usage: { prompt_tokens: 10, completion_tokens: 5 } }));
      expect((await execute(id, 'Just answer')).body.outcome).toBe('completed');
    } finally {
      await tool.close();
    }
  });

  it('refuses oversized input before any work, and survives a model that hangs or talks garbage', async () => {
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('fragile_one', { system: 'You help.', model: 'scripted-fragile' }),
    );
    const id = await instanceOf(ref);
    const big = await execute(id, 'x'.repeat(2001));
    expect(big.status).toBe(413);
    expect((big.body as unknown as { message: string }).message).toMatch(/at most 2000/);

    model.reply({ kind: 'hang' });
    const hung = await execute(id, 'Are you awake?');
    expect(hung.status).toBe(504);
    expect(hung.body).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/did not answer within 600 ms/),
    });
    expect(hung.body.receipt.receipt.outcome).toBe('failed');

    model.reply({ kind: 'body', body: 'this is not JSON', contentType: 'application/json' });
    const garbage = await execute(id, 'Say something');
    expect(garbage.status).toBe(502);
    expect(garbage.body.outcome).toBe('failed');
    expect(await verifyWithPublishedKey(platform, garbage.body.receipt)).toMatchObject({ ok: true });
    expect(await memoryOf(id)).toBe(0); // nothing half-written

    model.reply(completion({ content: 'Back to normal.' }));
    expect((await execute(id, 'Hello')).body.outcome).toBe('completed');
    expect(await memoryOf(id)).toBe(2);
  });

  it('falls back to the next model when the primary fails', async () => {
    const pack = personaPack('fallback_one', { system: 'You help.', model: 'scripted-primary' });
    (pack.spec.models as Record<string, unknown>).fallback = [
      { model: 'scripted-backup', temperature: 0.1, maxTokens: 50 },
    ];
    const id = await instanceOf(await sealPersona(platform, cast, pack));
    model.replyFor('scripted-primary', errorReply(503, 'overloaded'));
    model.replyFor(
      'scripted-backup',
      completion({ content: 'Backup here.', usage: { prompt_tokens: 100, completion_tokens: 10 } }),
    );
    const result = await execute(id, 'Hello');
    expect(result.body).toMatchObject({ outcome: 'completed', content: 'Backup here.' });
    // Priced as the backup that answered (0.002 USD a token), not as the primary (0.001).
    expect(result.body.receipt.receipt).toMatchObject({ cost: 0.22, tokens: { input: 100, output: 10 } });
    expect(model.unexpected).toEqual([]);
  });
  // Last in this file: it revokes the tenant's signing key (a new one takes over for later seals).
  it('refuses a persona within about 2 s of the revocation of the key that sealed it; a persona sealed after runs on', async () => {
    const before = await sealPersona(
      platform,
      cast,
      personaPack('old_key_one', { system: 'You help.', model: 'scripted-oldkey' }),
    );
    const id = await instanceOf(before);
    const answer = () =>
      model.reply(completion({ content: 'Fine.', usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    answer();
    expect((await execute(id, 'Hello')).body.outcome).toBe('completed');

    const admin = { token: platform.admin, subject: 'admin' };
    const keys = await call(platform, admin, 'GET', `/v1/signer/keys?tenant=${tenant}`);
    const active = (keys.body.keys as { keyId: string; purpose: string; status: string }[]).find(
      (key) => key.purpose === 'pack-signer' && key.status === 'active',
    )!;
    const revoked = await call(platform, admin, 'POST', `/v1/signer/keys/${active.keyId}/revoke`, {
      reason: 'key material exposed in a CI log',
    });
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    let denied: Execution | undefined;
    while (!denied && Date.now() - revokedAt < 6000) {
      if (model.pending === 0) answer();
      const attempt = await execute(id, 'Are you there?');
      if (attempt.body.outcome === 'denied') denied = attempt.body;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elapsed = Date.now() - revokedAt;
    if (process.env.TEST_REPORT) process.stdout.write(`key revoke → refusal: ${elapsed} ms\n`);
    expect(denied?.denial).toEqual({
      step: 'revocation',
      reasons: [`${before} was signed with key ${active.keyId}, which is revoked`],
    });
    expect(elapsed).toBeLessThan(3000);
    expect(await verifyWithPublishedKey(platform, denied!.receipt)).toMatchObject({ ok: true });

    const after = await sealPersona(
      platform,
      cast,
      personaPack('new_key_one', { system: 'You help.', model: 'scripted-newkey' }),
    );
    if (model.pending === 0) answer();
    expect((await execute(await instanceOf(after), 'Hello')).body.outcome).toBe('completed');
    while (model.pending > 0)
      await fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
  });
});
