import { createHash } from 'node:crypto';
import { Client } from 'pg';
import type { Principal } from '@personae/auth';
import { EventPublisher } from '@personae/messaging';
import { Instances, PersonaResolver, type SignedReceipt } from '@personae/runtime';
import { RuntimeStore } from '../../libs/runtime/store/runtime.store';
import { completion, ScriptedOpenAiServer } from '../models/scripted-openai.server';
import { call, eventually, uniqueTenant, type Platform } from '../registry/support';
import {
  bootWithScriptedModel,
  eventsOf,
  personaPack,
  sealPersona,
  snapshotOf,
  ToolServer,
  verifyWithPublishedKey,
  type Cast,
} from './support';

interface Execution {
  executionId: string;
  outcome: string;
  content: string;
  persona: { ref: string; digest: string };
  toolCalls: { tool: string; outcome: string; reason?: string }[];
  decisions: { step: string; effect: string; reasons: string[] }[];
  receipt: SignedReceipt;
}

/**
 * The done-when path: two signed personas swapped in one session, with their tools, knowledge and
 * memory isolated; every execution's receipt verifies with the published key.
 */
describe('runtime: swap between signed personas in one session', () => {
  const tenant = uniqueTenant('runtime-swap');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;
  let labTool: ToolServer;
  let lintTool: ToolServer;
  let bio: string;
  let coder: string;
  const receipts: SignedReceipt[] = [];

  beforeAll(async () => {
    labTool = await ToolServer.start((body) => ({
      result: `lab says ATP for ${JSON.stringify(body.arguments)}`,
    }));
    lintTool = await ToolServer.start(() => ({ result: 'no lint findings' }));
    ({ platform, model, cast } = await bootWithScriptedModel(tenant));
    const bioKnowledge = await snapshotOf(platform, cast, [
      {
        source: 'mitochondria.md',
        text: 'Mitochondria produce ATP through oxidative phosphorylation in the inner membrane.',
      },
    ]);
    const codeKnowledge = await snapshotOf(platform, cast, [
      { source: 'style-guide.md', text: 'Prefer early returns. Functions should stay under forty lines.' },
    ]);
    bio = await sealPersona(
      platform,
      cast,
      personaPack('biology_researcher', {
        system: 'You are a careful biology researcher.',
        tools: [{ name: 'lab.lookup', description: 'Look up a lab result' }],
        knowledge: [bioKnowledge],
        model: 'scripted-bio',
      }),
    );
    coder = await sealPersona(
      platform,
      cast,
      personaPack('code_reviewer', {
        system: 'You are a strict code reviewer.',
        tools: [{ name: 'code.lint', description: 'Lint a snippet' }],
        knowledge: [codeKnowledge],
        model: 'scripted-code',
      }),
    );
    for (const [name, tool] of [
      ['lab.lookup', labTool],
      ['code.lint', lintTool],
    ] as const) {
      const registered = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/tools', {
        name,
        url: tool.url,
        timeoutMs: 2000,
      });
      expect(registered.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
    await labTool?.close();
    await lintTool?.close();
  });

  const execute = async (instanceId: string, input: string): Promise<{ status: number; body: Execution }> => {
    const response = await call(
      platform,
      cast.orchestrator,
      'POST',
      `/v1/runtime/instances/${instanceId}/execute`,
      { input },
    );
    const body = response.body as unknown as Execution;
    if (body.receipt) receipts.push(body.receipt);
    return { status: response.status, body };
  };
  const lastModelRequest = () =>
    model.requests[model.requests.length - 1]!.body as {
      messages: { role: string; content: string; tool_calls?: unknown[] }[];
      tools?: { function: { name: string } }[];
      max_tokens?: number;
    };
  const promptText = () =>
    lastModelRequest()
      .messages.map((m) => m.content)
      .join('\n');

  it('runs one persona with its tools and knowledge, swaps the session to another, and isolates both', async () => {
    const session = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/sessions', {
      label: 'swap demo',
    });
    expect(session.status).toBe(201);
    const sessionId = session.body.id as string;
    const created = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', {
      ref: bio,
      sessionId,
    });
    expect(created.status).toBe(201);
    const instanceId = created.body.id as string;

    // Persona 1 calls its own tool, then answers.
    model.reply(
      completion({
        content: null,
        toolCalls: [{ id: 'call_1', name: 'lab__lookup', arguments: '{"q":"ATP"}' }],
        finishReason: 'tool_calls',
      }),
      completion({ content: 'Mitochondria make ATP.' }),
    );
    const first = await execute(instanceId, 'What do mitochondria make?');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      outcome: 'completed',
      content: 'Mitochondria make ATP.',
      persona: { ref: bio },
    });
    expect(first.body.toolCalls).toEqual([expect.objectContaining({ tool: 'lab.lookup', outcome: 'ok' })]);
    expect(labTool.calls).toHaveLength(1);
    const bioRequest = model.requests[model.requests.length - 2]!.body as {
      tools: { function: { name: string } }[];
      model: string;
    };
    expect(bioRequest.model).toBe('scripted-bio');
    expect(bioRequest.tools.map((t) => t.function.name)).toEqual(['lab__lookup']);
    expect(promptText()).toContain('oxidative phosphorylation'); // its knowledge
    expect(promptText()).toContain('You are a careful biology researcher.');

    // Swap the live session to persona 2, carrying memory.
    const swapped = await call(
      platform,
      cast.orchestrator,
      'POST',
      `/v1/runtime/sessions/${sessionId}/swap`,
      { to: coder, memory: 'carry' },
    );
    expect(swapped.status).toBe(201);
    expect(swapped.body).toMatchObject({
      from: bio,
      to: coder,
      instance: { id: instanceId, persona: { ref: coder } },
    });

    // The model (as a compromised or confused one might) asks for the old persona's tool: refused.
    model.reply(
      completion({
        content: null,
        toolCalls: [{ id: 'call_2', name: 'lab__lookup', arguments: '{"q":"ATP"}' }],
        finishReason: 'tool_calls',
      }),
      completion({ content: 'Use early returns.' }),
    );
    const second = await execute(instanceId, 'How should I structure this function?');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      outcome: 'completed',
      content: 'Use early returns.',
      persona: { ref: coder },
    });
    expect(second.body.toolCalls).toEqual([
      expect.objectContaining({
        tool: 'lab__lookup',
        outcome: 'refused',
        reason: expect.stringContaining('not in the bundle'),
      }),
    ]);
    expect(second.body.decisions).toContainEqual(
      expect.objectContaining({ step: 'tool:lab__lookup', effect: 'deny' }),
    );
    expect(labTool.calls).toHaveLength(1); // never reached
    const codeRequest = model.requests[model.requests.length - 2]!.body as {
      tools: { function: { name: string } }[];
      model: string;
    };
    expect(codeRequest.model).toBe('scripted-code');
    expect(codeRequest.tools.map((t) => t.function.name)).toEqual(['code__lint']);
    const text = promptText();
    expect(text).toContain('forty lines'); // the new persona's knowledge
    expect(text).not.toContain('oxidative phosphorylation'); // not the old one's
    expect(text).not.toContain('careful biology researcher'); // nor its instructions
    expect(text).toContain('What do mitochondria make?'); // memory carried: the conversation
    expect(text).not.toContain('lab says ATP'); // but not the old persona's tool results
    expect(text).toContain('You are a strict code reviewer.');

    // Reset: the next request starts with no history.
    const reset = await call(
      platform,
      cast.orchestrator,
      'POST',
      `/v1/runtime/instances/${instanceId}/swap`,
      { to: bio, memory: 'reset' },
    );
    expect(reset.status).toBe(201);
    model.reply(completion({ content: 'Fresh start.' }));
    await execute(instanceId, 'Hello again');
    expect(promptText()).not.toContain('What do mitochondria make?');
    expect(promptText()).not.toContain('structure this function');

    // runtime.swaps recorded both swaps.
    const swaps = await eventually(
      async () => (await eventsOf(platform, 'runtime.swaps')).filter((e) => e.key === instanceId),
      (found) => found.length >= 3,
    );
    expect(swaps.map((e) => e.payload.event.case)).toEqual(['created', 'swapped', 'swapped']);
    expect(swaps[1]!.payload.event.value).toMatchObject({ fromRef: bio, toRef: coder, memory: 'carried' });
    expect(swaps[2]!.payload.event.value).toMatchObject({ fromRef: coder, toRef: bio, memory: 'reset' });

    // Session totals add up the instance's requests.
    const summary = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/sessions/${sessionId}`);
    expect(summary.body).toMatchObject({ totals: { requests: 3 } });
  });

  it('keeps each instance memory its own: no instance sees or reads another one', async () => {
    const a = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref: bio })).body
      .id as string;
    const b = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref: bio })).body
      .id as string;
    model.reply(completion({ content: 'Noted, your project is Falcon.' }));
    await execute(a, 'My secret project is called Falcon.');
    model.reply(completion({ content: 'I do not know.' }));
    await execute(b, 'What is my project called?');
    expect(promptText()).not.toContain('Falcon');
    const memoryB = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${b}/memory`);
    expect(JSON.stringify(memoryB.body)).not.toContain('Falcon');
    const memoryA = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${a}/memory`);
    expect((memoryA.body.messages as { content: string }[]).map((m) => m.content)).toEqual([
      'My secret project is called Falcon.',
      'Noted, your project is Falcon.',
    ]);
    // Another tenant cannot see the instance at all.
  });

  it('swaps correctly when another replica swapped the instance since this process last saw it', async () => {
    const created = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref: bio });
    const id = created.body.id as string;
    // A second replica: its own Instances over the same database, unaware of what this process remembers.
    const app = platform.running.app;
    const replica = new Instances(app.get(RuntimeStore), app.get(PersonaResolver), app.get(EventPublisher));
    const whoami = await call(platform, cast.orchestrator, 'GET', '/v1/auth/whoami');
    const principal: Principal = {
      subject: cast.orchestrator.subject,
      tenantId: whoami.body.tenantId as string,
      role: 'orchestrator',
      via: 'api-key',
    };
    const caller = { tenantId: principal.tenantId, token: cast.orchestrator.token };
    // Another replica moves the instance to `coder`, behind this process' back.
    const swapElsewhere = async (): Promise<void> => {
      await replica.swapTo(
        principal,
        id,
        coder,
        await app.get(PersonaResolver).resolve(caller, coder),
        'carry',
      );
    };
    await swapElsewhere();

    // This process last saw the instance on `bio`: asked to carry it to `bio`, it must not answer
    // "already there" from memory, but read the instance and make the swap.
    const back = await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/swap`, {
      to: bio,
      memory: 'carry',
    });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ from: coder, to: bio, instance: { ref: bio } });
    expect(back.body.swapId).not.toBe('');

    // Moved away again elsewhere: the remembered expectation fails the compare-and-set, is read again.
    await swapElsewhere();
    const reset = await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/swap`, {
      to: bio,
      memory: 'reset',
    });
    expect(reset.body).toMatchObject({ from: coder, to: bio, instance: { ref: bio, memoryEpoch: 1 } });
    // The relay is woken after the commit (and polls every second): wait for all four on the bus.
    const swaps = await eventually(
      async () =>
        (await eventsOf(platform, 'runtime.swaps')).filter(
          (e) => e.payload.event.case === 'swapped' && e.payload.event.value.instanceId === id,
        ),
      (found) => found.length >= 4,
    );
    expect(swaps.map((e) => e.payload.event.value)).toMatchObject([
      { fromRef: bio, toRef: coder },
      { fromRef: coder, toRef: bio, memory: 'carried' },
      { fromRef: bio, toRef: coder },
      { fromRef: coder, toRef: bio, memory: 'reset' },
    ]);
  });

  it('fails a tool call that outlives its timeout, tells the model, and still answers', async () => {
    const slow = await ToolServer.start(() => ({ result: 'too late' }), 1500);
    try {
      const ref = await sealPersona(
        platform,
        cast,
        personaPack('slow_tools', {
          system: 'You use tools.',
          tools: [{ name: 'lab.slow', description: 'A slow lookup' }],
          model: 'scripted-slow',
        }),
      );
      const registered = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/tools', {
        name: 'lab.slow',
        url: slow.url,
        timeoutMs: 300,
      });
      expect(registered.body).toMatchObject({ name: 'lab.slow', timeoutMs: 300 });
      const id = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref })).body
        .id as string;
      model.reply(
        completion({
          content: null,
          toolCalls: [{ id: 'call_s', name: 'lab__slow', arguments: '{"q":"x"}' }],
          finishReason: 'tool_calls',
        }),
        completion({ content: 'The lookup timed out.' }),
      );
      const result = await execute(id, 'Look it up');
      expect(result.body).toMatchObject({ outcome: 'completed', content: 'The lookup timed out.' });
      expect(result.body.toolCalls).toEqual([
        expect.objectContaining({
          tool: 'lab.slow',
          outcome: 'failed',
          reason: 'tool lab.slow timed out after 300 ms',
        }),
      ]);
      const toolMessage = lastModelRequest().messages.find((m) => m.role === 'tool');
      expect(toolMessage?.content).toBe('error: tool lab.slow timed out after 300 ms');
    } finally {
      await slow.close();
    }
  });

  it('refuses tool arguments that do not fit the sealed input schema: the tool never runs, the model is told', async () => {
    const id = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref: bio })).body
      .id as string;
    const before = labTool.calls.length;
    model.reply(
      completion({
        content: null,
        toolCalls: [{ id: 'call_bad', name: 'lab__lookup', arguments: '{"q":42}' }],
        finishReason: 'tool_calls',
      }),
      completion({ content: 'I could not look that up.' }),
    );
    const result = await execute(id, 'Look up ATP');
    const reason =
      'the arguments for lab.lookup do not fit its input schema: /q: must be string, not a number';
    expect(result.body).toMatchObject({ outcome: 'completed', content: 'I could not look that up.' });
    expect(result.body.toolCalls).toEqual([
      expect.objectContaining({ tool: 'lab.lookup', outcome: 'refused', reason }),
    ]);
    expect(labTool.calls).toHaveLength(before);
    expect(lastModelRequest().messages.find((m) => m.role === 'tool')?.content).toBe(`error: ${reason}`);
  });

  it('sends the model the whole memory, also what another replica added since this process last read it', async () => {
    const created = await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref: bio });
    const id = created.body.id as string;
    const messagesSent = (): string[] =>
      (
        model.requests[model.requests.length - 1]!.body as { messages: { role: string; content: string }[] }
      ).messages
        .filter((m) => m.role !== 'system')
        .map((m) => `${m.role}: ${m.content}`);
    model.reply(completion({ content: 'First answer.' }));
    expect((await execute(id, 'First question?')).status).toBe(200);
    // Another replica's execution, as its record statement writes it: two messages, next_seq moved on.
    const db = new Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `WITH inst AS (UPDATE runtime.instances SET next_seq = next_seq + 2 WHERE id = $1
                        RETURNING next_seq - 2 AS first, memory_epoch, digest)
         INSERT INTO runtime.messages (instance_id, seq, epoch, role, content, persona_digest, execution_id)
         SELECT $1, inst.first + m.ord - 1, inst.memory_epoch, m.role, m.content, inst.digest, gen_random_uuid()
           FROM inst, (VALUES (1, 'user', 'Asked elsewhere?'), (2, 'assistant', 'Answered elsewhere.')) AS m(ord, role, content)`,
        [id],
      );
    } finally {
      await db.end();
    }
    model.reply(completion({ content: 'Third answer.' }));
    expect((await execute(id, 'Third question?')).status).toBe(200);
    expect(messagesSent()).toEqual([
      'user: First question?',
      'assistant: First answer.',
      'user: Asked elsewhere?',
      'assistant: Answered elsewhere.',
      'user: Third question?',
    ]);
    // And what this process wrote itself comes back in order too.
    model.reply(completion({ content: 'Fourth answer.' }));
    expect((await execute(id, 'Fourth question?')).status).toBe(200);
    expect(messagesSent().slice(-3)).toEqual([
      'user: Third question?',
      'assistant: Third answer.',
      'user: Fourth question?',
    ]);
  });

  it('signs every execution; each receipt verifies with the published key and names what happened', async () => {
    expect(receipts.length).toBeGreaterThanOrEqual(5);
    for (const signed of receipts) {
      expect(await verifyWithPublishedKey(platform, signed)).toMatchObject({ ok: true });
      expect(signed.receipt.persona.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const first = receipts[0]!.receipt;
    expect(first.inputSha256).toBe(
      `sha256:${createHash('sha256').update('What do mitochondria make?').digest('hex')}`,
    );
    expect(first.outputSha256).toBe(
      `sha256:${createHash('sha256').update('Mitochondria make ATP.').digest('hex')}`,
    );
    // A changed byte no longer verifies.
    const forged = { ...receipts[0]!, receipt: { ...first, cost: first.cost + 1 } };
    expect(await verifyWithPublishedKey(platform, forged)).toMatchObject({ ok: false });
    // The stored receipt is served back, verified.
    const stored = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/receipts/${first.receiptId}`);
    expect(stored.body).toMatchObject({
      receipt: { receiptId: first.receiptId },
      verification: { ok: true },
    });
    expect(model.unexpected).toEqual([]);
  });
});
